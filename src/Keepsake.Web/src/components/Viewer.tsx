import { useEffect, useState, type KeyboardEvent, type ReactNode } from 'react';
import { DescriptionField } from './DescriptionField';
import { Dialog } from './Dialog';
import { ErrorMessage } from './ErrorMessage';
import { formatBytes, formatCamera, formatDateSource, formatDateTime, formatExposure, formatPlace, formatTakenAt, formatWeather, formatWeatherDetails, osmUrl } from '../format';
import { CloseIcon, DownloadIcon, HeartIcon, InfoIcon, TrashIcon, WeatherIcon } from '../icons';
import { useInfoPanel } from '../viewer/useInfoPanel';
import { ViewerStage } from './ViewerStage';
import type { PhotoDetails, PhotoSummary } from '../api/models';

interface ViewerProps {
  items: PhotoSummary[];
  index: number;
  onIndexChange: (index: number) => void;
  onClose: () => void;
  loadDetails: (id: string) => Promise<PhotoDetails>;
  /** Offered only to the owner; resolves once the photo is gone. */
  onDelete?: (id: string) => Promise<void>;
  /** What deleting does here: moves to the trash (the default), or deletes for good from the trash. */
  deleteWording?: DeleteWording;
  /** Offered only to the owner: favourite or archive the photo, or take the mark off. */
  onMark?: (id: string, change: { favorite: boolean } | { archived: boolean }) => Promise<void>;
  /** More actions for the current photo (album page: remove, set cover). */
  actions?: (photo: PhotoSummary) => ReactNode;
  /** The preview failed to load (its signed URL may have expired). */
  onImageError?: () => void;
  /** Offered only to the owner: writes the photo's description (blank clears it). */
  onDescribe?: (id: string, description: string) => Promise<void>;
}

export interface DeleteWording {
  button: string;
  confirm: string;
  yes: string;
  failed: string;
}

const moveToTrash: DeleteWording = {
  button: 'Delete photo',
  confirm: 'Move this photo to the trash? It leaves your timeline, albums and share links at once, and is deleted for good after 30 days unless you restore it.',
  yes: 'Yes, delete photo',
  failed: 'Could not delete the photo',
};

/** The formats a browser draws in an <img>; an original in another (HEIC, TIFF) is only downloaded. */
const drawable = (format: string) => ['jpeg', 'jpg', 'png', 'webp', 'gif', 'avif'].includes(format.toLowerCase());

function Row({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="meta-row">
      <dt id={id}>{label}</dt>
      <dd aria-labelledby={id}>{children}</dd>
    </div>
  );
}

export function Viewer({ items, index, onIndexChange, onClose, loadDetails, onDelete, deleteWording = moveToTrash, onMark, actions, onImageError, onDescribe }: ViewerProps) {
  const photo = items[index];
  const [details, setDetails] = useState<PhotoDetails | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const [marking, setMarking] = useState(false);
  const [markError, setMarkError] = useState<unknown>(null);
  const [infoShown, setInfoShown] = useInfoPanel();
  const id = photo?.id;

  useEffect(() => {
    if (!id) return;
    let live = true;
    setDetails(null);
    setError(null);
    setConfirming(false);
    setDeleteError(null);
    setMarkError(null);
    loadDetails(id).then(
      (d) => live && setDetails(d),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [id, loadDetails, attempt]);

  if (!photo) return null;
  const hasPrevious = index > 0;
  const hasNext = index < items.length - 1;

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const target = e.target as HTMLElement;
    if (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA') return;
    if (e.key === 'ArrowLeft' && hasPrevious) {
      e.preventDefault();
      onIndexChange(index - 1);
    } else if (e.key === 'ArrowRight' && hasNext) {
      e.preventDefault();
      onIndexChange(index + 1);
    }
  }

  async function doDelete() {
    if (!onDelete) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await onDelete(photo.id);
      setConfirming(false);
    } catch (e) {
      setDeleteError(e);
    } finally {
      setDeleting(false);
    }
  }

  async function doMark(change: { favorite: boolean } | { archived: boolean }) {
    // The buttons stay enabled, so the one just pressed keeps the focus; a second press meanwhile does nothing.
    if (!onMark || marking) return;
    setMarking(true);
    setMarkError(null);
    try {
      await onMark(photo.id, change);
    } catch (e) {
      setMarkError(e);
    } finally {
      setMarking(false);
    }
  }

  async function describe(photoId: string, description: string) {
    await onDescribe!(photoId, description);
    // The server trims it and keeps a blank one as none; the panel shows what it now holds.
    const kept = description.trim() || null;
    setDetails((d) => (d && d.id === photoId ? { ...d, description: kept } : d));
  }

  const camera = details?.camera ? formatCamera(details.camera) : null;
  const exposure = details?.camera ? formatExposure(details.camera) : null;

  return (
    <Dialog label="Photo viewer" onClose={onClose} className={`viewer${infoShown ? '' : ' details-hidden'}`} onKeyDown={onKeyDown}>
      <ViewerStage photo={photo} alt={details ? details.fileName : ''} originalUrl={details && drawable(details.format) ? details.originalUrl : undefined}
        hasPrevious={hasPrevious} hasNext={hasNext} onMove={(by) => onIndexChange(index + by)} onClose={onClose} onShowInfo={() => setInfoShown(true)}
        onImageError={onImageError} missingHint={onDelete ? ' You can delete the photo.' : ''}>
        <div className="viewer-toolbar">
          <span className="viewer-count">{index + 1} of {items.length}</span>
          <button type="button" className="icon-button" aria-label="Photo details" aria-expanded={infoShown} aria-controls="viewer-details"
            onClick={() => setInfoShown(!infoShown)}>
            <InfoIcon />
          </button>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose} data-autofocus>
            <CloseIcon />
          </button>
        </div>
      </ViewerStage>
      {infoShown ? (
        <aside id="viewer-details" className="viewer-panel" aria-label="Photo details">
          <ErrorMessage error={error} what="Could not load the photo's details" onRetry={() => setAttempt((a) => a + 1)} />
          {details ? (
            <>
              <h2 className="viewer-title">{details.fileName}</h2>
              <DescriptionField photoId={details.id} description={details.description} onSave={onDescribe ? describe : undefined} />
              <dl className="meta">
                {details.takenAt ? (
                  <Row id="meta-taken" label="Taken">
                    {formatTakenAt(details.takenAt)}
                    {formatDateSource(details.takenAtSource) ? <span className="muted"> · {formatDateSource(details.takenAtSource)}</span> : null}
                  </Row>
                ) : null}
                {camera ? <Row id="meta-camera" label="Camera">{camera}</Row> : null}
                {details.camera?.lens ? <Row id="meta-lens" label="Lens">{details.camera.lens}</Row> : null}
                {exposure ? <Row id="meta-exposure" label="Exposure">{exposure}</Row> : null}
                {details.place ? <Row id="meta-place" label="Place">{formatPlace(details.place)}</Row> : null}
                {details.location ? (
                  <Row id="meta-location" label="Location">
                    {details.location.latitude.toFixed(5)}, {details.location.longitude.toFixed(5)}{' '}
                    <a href={osmUrl(details.location.latitude, details.location.longitude)} target="_blank" rel="noopener noreferrer">
                      Open in OpenStreetMap
                    </a>
                  </Row>
                ) : null}
                {details.weather ? (
                  <Row id="meta-weather" label="Weather">
                    <span className="weather">
                      <WeatherIcon name={details.weather.icon} /> {formatWeather(details.weather)}
                    </span>
                    {formatWeatherDetails(details.weather) ? <span className="muted weather-details">{formatWeatherDetails(details.weather)}</span> : null}
                  </Row>
                ) : null}
                <Row id="meta-size" label="Size">
                  {details.width} × {details.height} · {details.format.toUpperCase()} · {formatBytes(details.sizeBytes)}
                </Row>
                <Row id="meta-uploaded" label="Uploaded">{formatDateTime(details.uploadedAt)}</Row>
              </dl>
              <div className="viewer-actions">
                {photo.missing ? null : (
                  <a className="button" href={details.originalUrl} download={details.fileName}>
                    <DownloadIcon /> Download original
                  </a>
                )}
                {onMark ? (
                  <>
                    <button type="button" className="button" aria-pressed={photo.favorite === true} aria-busy={marking} onClick={() => doMark({ favorite: photo.favorite !== true })}>
                      <HeartIcon filled={photo.favorite === true} /> {photo.favorite ? 'Favourite' : 'Add to favourites'}
                    </button>
                    <button type="button" className="button" aria-busy={marking} onClick={() => doMark({ archived: photo.archived !== true })}>
                      {photo.archived ? 'Unarchive' : 'Archive'}
                    </button>
                  </>
                ) : null}
                {actions?.(photo)}
                {onDelete && !confirming ? (
                  <button type="button" className="button danger" onClick={() => setConfirming(true)}>
                    <TrashIcon /> {deleteWording.button}
                  </button>
                ) : null}
              </div>
              {confirming ? (
                <div className="confirm" role="group" aria-label="Confirm delete">
                  <p>{deleteWording.confirm}</p>
                  <div className="row">
                    <button type="button" className="button danger" onClick={doDelete} disabled={deleting} autoFocus>
                      {deleting ? 'Deleting…' : deleteWording.yes}
                    </button>
                    <button type="button" className="button" onClick={() => setConfirming(false)}>
                      Cancel
                    </button>
                  </div>
                </div>
              ) : null}
              <ErrorMessage error={markError} what="Could not change the photo" />
              <ErrorMessage error={deleteError} what={deleteWording.failed} />
            </>
          ) : error ? null : (
            <p className="muted" role="status">Loading details…</p>
          )}
        </aside>
      ) : null}
    </Dialog>
  );
}
