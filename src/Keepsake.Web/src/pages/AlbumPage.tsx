import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../api/endpoints';
import type { Album, PhotoSummary } from '../api/models';
import { ErrorMessage } from '../components/ErrorMessage';
import { Notice } from '../components/Notice';
import { FormFields } from '../components/FormFields';
import { PhotoGrid } from '../components/PhotoGrid';
import { AddPhotosDialog } from '../components/AddPhotosDialog';
import { ShareDialog } from '../components/ShareDialog';
import { Viewer } from '../components/Viewer';
import { DownloadIcon, PlusIcon, ShareIcon } from '../icons';
import { useFormSubmit } from '../useFormSubmit';
import { usePhotoPages } from '../usePhotoPages';
import { useOpenPhoto } from '../useOpenPhoto';

export function AlbumPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [album, setAlbum] = useState<Album | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const pages = usePhotoPages(useMemo(() => api.albums.photos(id), [id]));
  const [open, setOpen, leaveViewer] = useOpenPhoto(pages.items);
  const [sharing, setSharing] = useState(false);
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    api.albums.get(id).then(setAlbum, setError);
  }, [id, attempt]);

  const closeViewerAfterRemoval = useCallback(
    (removedId: string) => {
      leaveViewer([removedId]);
      pages.remove(removedId);
    },
    [pages, leaveViewer],
  );

  const renameForm = useFormSubmit(
    () => api.albums.rename(id, name.trim()),
    (renamed) => {
      setAlbum(renamed);
      setRenaming(false);
    },
  );

  async function deleteAlbum() {
    setActionError(null);
    try {
      await api.albums.delete(id);
      navigate('/albums', { replace: true });
    } catch (err) {
      setActionError(err);
    }
  }

  async function removeFromAlbum(photo: PhotoSummary) {
    setActionError(null);
    try {
      await api.albums.removePhoto(id, photo.id);
      closeViewerAfterRemoval(photo.id);
      setAlbum(await api.albums.get(id));
      setNotice('Photo removed from the album. It is still in your timeline.');
    } catch (err) {
      setActionError(err);
    }
  }

  async function setCover(photo: PhotoSummary) {
    setActionError(null);
    try {
      setAlbum(await api.albums.setCover(id, photo.id));
      setNotice('Album cover changed.');
    } catch (err) {
      setActionError(err);
    }
  }

  async function onDelete(photoId: string) {
    await api.photos.delete(photoId);
    closeViewerAfterRemoval(photoId);
  }

  if (error) {
    return (
      <section className="page">
        <p><Link to="/albums">← Albums</Link></p>
        <ErrorMessage error={error} what="Could not load the album" onRetry={() => setAttempt((a) => a + 1)} />
      </section>
    );
  }
  if (!album) return <p className="muted page" role="status">Loading album…</p>;

  return (
    <section className="page">
      <p className="crumb"><Link to="/albums">← Albums</Link></p>
      <div className="page-head">
        {renaming ? (
          <form className="inline-form" onSubmit={renameForm.onSubmit}>
            <FormFields form={renameForm}>
              <label htmlFor="album-name">Album name</label>
              <input id="album-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus aria-invalid={renameForm.invalid('name')} />
              <button type="submit" className="button primary">{renameForm.submitting ? 'Saving…' : 'Save name'}</button>
              <button type="button" className="button subtle" onClick={() => setRenaming(false)}>Cancel</button>
              <ErrorMessage error={renameForm.error} what="Could not rename the album" />
            </FormFields>
          </form>
        ) : (
          <h1>{album.name}</h1>
        )}
        <div className="row">
          <button type="button" className="button primary" onClick={() => setAdding(true)}>
            <PlusIcon /> Add photos
          </button>
          <button type="button" className="button" onClick={() => setSharing(true)}>
            <ShareIcon /> Share
          </button>
          {album.photoCount > 0 ? (
            <a className="button" href={api.albums.downloadUrl(album.id)} download>
              <DownloadIcon /> Download all
            </a>
          ) : null}
          {!renaming ? (
            <button type="button" className="button" onClick={() => { setName(album.name); setRenaming(true); }}>
              Rename
            </button>
          ) : null}
          <button type="button" className="button danger" onClick={() => setConfirmDelete(true)}>
            Delete album
          </button>
        </div>
      </div>
      <p className="muted">
        {album.photoCount} {album.photoCount === 1 ? 'photo' : 'photos'}
        {album.photoCount === 0 ? <> · choose “Add photos”, or select photos in <Link to="/">your timeline</Link> and choose “Add to album”.</> : null}
      </p>
      {confirmDelete ? (
        <div className="confirm card" role="group" aria-label="Confirm album deletion">
          <p>Delete the album “{album.name}” and its share links? The photos stay in your timeline.</p>
          <div className="row">
            <button type="button" className="button danger" onClick={deleteAlbum} autoFocus>Yes, delete album</button>
            <button type="button" className="button" onClick={() => setConfirmDelete(false)}>Cancel</button>
          </div>
        </div>
      ) : null}
      <ErrorMessage error={actionError} />
      <Notice text={notice} onDismiss={() => setNotice(null)} />
      <ErrorMessage error={pages.error} what="Could not load the album's photos" onRetry={pages.reload} />
      <PhotoGrid items={pages.items} onOpen={setOpen} hasMore={pages.hasMore} loading={pages.loading} onLoadMore={pages.loadMore} canLoad={!pages.error} onImageError={pages.refreshLinks} />
      {open !== null && pages.items[open] ? (
        <Viewer
          items={pages.items}
          index={open}
          onIndexChange={setOpen}
          onClose={() => setOpen(null)}
          loadDetails={api.photos.get}
          onDelete={onDelete}
          onDescribe={api.photos.describe}
          onImageError={pages.refreshLinks}
          actions={(photo) => (
            <>
              <button type="button" className="button" onClick={() => removeFromAlbum(photo)}>Remove from album</button>
              {album.coverPhotoId !== photo.id ? (
                <button type="button" className="button" onClick={() => setCover(photo)}>Use as cover</button>
              ) : null}
              <ErrorMessage error={actionError} />
            </>
          )}
        />
      ) : null}
      {sharing ? <ShareDialog albumId={album.id} albumName={album.name} onClose={() => setSharing(false)} /> : null}
      {adding ? (
        <AddPhotosDialog
          album={album}
          onClose={() => setAdding(false)}
          onAdded={(updated, count) => {
            setAdding(false);
            setAlbum(updated);
            pages.reload();
            setNotice(`Added ${count} ${count === 1 ? 'photo' : 'photos'} to the album.`);
          }}
        />
      ) : null}
    </section>
  );
}
