import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { PhotoSummary } from '../api/models';
import { ChevronLeft, ChevronRight, MissingFileIcon } from '../icons';
import { useStageGestures } from '../viewer/useStageGestures';
import { previewTooSmall } from '../viewer/zoom';

interface ViewerStageProps {
  photo: PhotoSummary;
  alt: string;
  /** The original's address when a browser can draw it (not HEIC or TIFF): loaded once a zoom blows the preview up. */
  originalUrl?: string;
  hasPrevious: boolean;
  hasNext: boolean;
  onMove: (by: -1 | 1) => void;
  onClose: () => void;
  onShowInfo: () => void;
  onImageError?: () => void;
  /** Said under "File missing" (what the user can still do). */
  missingHint: string;
  /** The toolbar over the photo. */
  children: ReactNode;
}

/** Whether the preview, fitted whole in its area (`object-fit: contain`) and magnified `scale` times, is blown up. */
function blownUp(image: HTMLImageElement, photo: PhotoSummary, scale: number): boolean {
  const { clientWidth, clientHeight, naturalWidth, naturalHeight } = image;
  if (naturalWidth === 0 || naturalHeight === 0) return false;
  const drawn = Math.min(clientWidth, (clientHeight * naturalWidth) / naturalHeight);
  // The original's width as the preview is turned (the photo's sizes may be before or after its EXIF rotation).
  const original = naturalWidth >= naturalHeight ? Math.max(photo.width, photo.height) : Math.min(photo.width, photo.height);
  return previewTooSmall(naturalWidth, original, drawn, scale, window.devicePixelRatio || 1);
}

/** The original of `url` once the browser has it whole, so the sharper image replaces the preview without a blank. */
function useLoadedOriginal(photoId: string, url: string | undefined, wanted: boolean): string | null {
  const [loaded, setLoaded] = useState<{ id: string; url: string } | null>(null);
  useEffect(() => {
    if (!wanted || !url) return;
    const probe = new Image();
    probe.onload = () => setLoaded({ id: photoId, url });
    probe.src = url;
    return () => {
      probe.onload = null;
    };
  }, [photoId, url, wanted]);
  return loaded?.id === photoId ? loaded.url : null;
}

/** The photo of the viewer with its gestures and zoom, the previous and next buttons, and the toolbar over it. */
export function ViewerStage({ photo, alt, originalUrl, hasPrevious, hasNext, onMove, onClose, onShowInfo, onImageError, missingHint, children }: ViewerStageProps) {
  const image = useRef<HTMLImageElement>(null);
  const gestures = useStageGestures({
    photoId: photo.id,
    onPrevious: hasPrevious ? () => onMove(-1) : undefined,
    onNext: hasNext ? () => onMove(1) : undefined,
    onClose,
    onShowInfo,
  });
  const { zoom, drag } = gestures;
  const [sharpened, setSharpened] = useState<string | null>(null);
  useEffect(() => {
    const node = image.current;
    if (zoom.scale > 1 && node && blownUp(node, photo, zoom.scale)) setSharpened(photo.id);
  }, [zoom.scale, photo]);
  const original = useLoadedOriginal(photo.id, originalUrl, sharpened === photo.id);

  const transform = drag
    ? `translate(${drag.x}px, ${Math.max(0, drag.y)}px)`
    : `translate(${zoom.x}px, ${zoom.y}px) scale(${zoom.scale})`;
  // A photo pulled down fades as it goes, the way it will close.
  const opacity = drag && drag.y > 0 && Math.abs(drag.y) > Math.abs(drag.x) ? Math.max(0.4, 1 - drag.y / 400) : 1;

  return (
    <div className={`viewer-stage${zoom.scale > 1 ? ' zoomed' : ''}`} data-zoom={zoom.scale} {...gestures.handlers}>
      {photo.missing ? (
        <div key={photo.id} className="viewer-missing" role="note" aria-label="File missing">
          <MissingFileIcon />
          <p><strong>File missing</strong></p>
          <p>This photo's file is no longer in storage, so it cannot be shown or downloaded.{missingHint}</p>
        </div>
      ) : (
        <img key={photo.id} ref={image} className={gestures.moving ? 'moving' : undefined} src={original ?? photo.previewUrl} alt={alt}
          width={photo.width} height={photo.height} draggable={false} onError={original ? undefined : onImageError} style={{ transform, opacity }} />
      )}
      {children}
      <button type="button" className="icon-button viewer-prev" aria-label="Previous" onClick={() => onMove(-1)} disabled={!hasPrevious}>
        <ChevronLeft />
      </button>
      <button type="button" className="icon-button viewer-next" aria-label="Next" onClick={() => onMove(1)} disabled={!hasNext}>
        <ChevronRight />
      </button>
    </div>
  );
}
