import { useCallback, useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api } from '../api/endpoints';
import type { SharedAlbum } from '../api/models';
import { ApiError } from '../api/problem';
import { ErrorMessage } from '../components/ErrorMessage';
import { FormFields } from '../components/FormFields';
import { PhotoGrid } from '../components/PhotoGrid';
import { Viewer } from '../components/Viewer';
import { Logo } from '../icons';
import { useFormSubmit } from '../useFormSubmit';
import { usePhotoPages } from '../usePhotoPages';
import { useOpenPhoto } from '../useOpenPhoto';

type State =
  | { kind: 'loading' }
  | { kind: 'password' }
  | { kind: 'missing'; message: string }
  | { kind: 'error'; error: unknown }
  | { kind: 'open'; album: SharedAlbum };

/** What an anonymous visitor of /s/{token} sees: the album, and nothing else of the app. */
export function SharePage() {
  const { token = '' } = useParams();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setState({ kind: 'loading' });
    api.shared.album(token).then(
      (album) => live && setState({ kind: 'open', album }),
      (e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) setState({ kind: 'password' });
        else if (e instanceof ApiError && e.status === 404) setState({ kind: 'missing', message: e.message });
        else setState({ kind: 'error', error: e });
      },
    );
    return () => {
      live = false;
    };
  }, [token, attempt]);

  useEffect(() => {
    document.title = state.kind === 'open' ? `${state.album.name} · Keepsake` : 'Shared album · Keepsake';
  }, [state]);

  return (
    <div className="share-page">
      <header className="topbar share-bar">
        <span className="brand">
          <Logo /> <span>Keepsake</span>
        </span>
        <span className="muted small">Shared album</span>
      </header>
      <main id="main" className="main">
        {state.kind === 'loading' ? <p className="muted" role="status">Opening the album…</p> : null}
        {state.kind === 'password' ? <PasswordPrompt token={token} onUnlocked={() => setAttempt((a) => a + 1)} /> : null}
        {state.kind === 'missing' ? (
          <section className="card narrow centered-card">
            <h1>Link not found</h1>
            <p>{state.message}</p>
          </section>
        ) : null}
        {state.kind === 'error' ? <ErrorMessage error={state.error} what="Could not open the album" onRetry={() => setAttempt((a) => a + 1)} /> : null}
        {state.kind === 'open' ? <SharedAlbumView token={token} album={state.album} onLocked={() => setState({ kind: 'password' })} /> : null}
      </main>
    </div>
  );
}

function PasswordPrompt({ token, onUnlocked }: { token: string; onUnlocked: () => void }) {
  const [password, setPassword] = useState('');
  const form = useFormSubmit(() => api.shared.unlock(token, password), onUnlocked);

  return (
    <form className="card auth-card" onSubmit={form.onSubmit}>
      <FormFields form={form}>
        <h1>This album is protected</h1>
        <p className="muted">Enter the password you were given with the link.</p>
        <label htmlFor="share-unlock-password">Password</label>
        <input id="share-unlock-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} autoFocus aria-invalid={form.invalid('password')} />
        <ErrorMessage error={form.error} />
        <button type="submit" className="button primary wide">
          {form.submitting ? 'Opening…' : 'Open album'}
        </button>
      </FormFields>
    </form>
  );
}

function SharedAlbumView({ token, album, onLocked }: { token: string; album: SharedAlbum; onLocked: () => void }) {
  const pages = usePhotoPages(useMemo(() => api.shared.photos(token), [token]));
  const [open, setOpen] = useOpenPhoto(pages.items);
  const loadDetails = useCallback((id: string) => api.shared.photo(token, id), [token]);

  useEffect(() => {
    if (pages.error instanceof ApiError && pages.error.status === 401) onLocked();
  }, [pages.error, onLocked]);

  return (
    <section className="page">
      <div className="page-head">
        <h1>{album.name}</h1>
      </div>
      <p className="muted">
        {album.photoCount} {album.photoCount === 1 ? 'photo' : 'photos'}
      </p>
      <ErrorMessage error={pages.error} what="Could not load the photos" onRetry={pages.reload} />
      <PhotoGrid items={pages.items} onOpen={setOpen} hasMore={pages.hasMore} loading={pages.loading} onLoadMore={pages.loadMore} canLoad={!pages.error} onImageError={pages.refreshLinks} />
      {open !== null && pages.items[open] ? (
        <Viewer items={pages.items} index={open} onIndexChange={setOpen} onClose={() => setOpen(null)} loadDetails={loadDetails} onImageError={pages.refreshLinks} />
      ) : null}
    </section>
  );
}
