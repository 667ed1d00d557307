import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/endpoints';
import type { CreatedShare, Share } from '../api/models';
import { formatDateTime } from '../format';
import { CloseIcon } from '../icons';
import { useFormSubmit } from '../useFormSubmit';
import { Dialog } from './Dialog';
import { ErrorMessage } from './ErrorMessage';
import { FormFields } from './FormFields';

/** The server refuses shorter link passwords. */
export const MIN_PASSWORD_LENGTH = 8;

/** The end of the chosen local day, as the ISO instant the server expects. */
export function expiryFromDate(date: string): string | undefined {
  if (!date) return undefined;
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y, m - 1, d, 23, 59, 59).toISOString();
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function ShareDialog({ albumId, albumName, onClose }: { albumId: string; albumName: string; onClose: () => void }) {
  const [shares, setShares] = useState<Share[] | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const [expires, setExpires] = useState('');
  const [password, setPassword] = useState('');
  const [includeLocation, setIncludeLocation] = useState(false);
  const [revokeError, setRevokeError] = useState<unknown>(null);
  const [created, setCreated] = useState<CreatedShare | null>(null);
  const [copied, setCopied] = useState<string | null>(null);

  const load = useCallback(() => {
    setListError(null);
    api.albums.shares(albumId).then(setShares, setListError);
  }, [albumId]);

  useEffect(load, [load]);

  const form = useFormSubmit(
    () => {
      setCopied(null);
      setRevokeError(null);
      return api.albums.share(albumId, { expiresAt: expiryFromDate(expires) ?? null, password: password || null, includeLocation });
    },
    (share) => {
      setCreated(share);
      setPassword('');
      setExpires('');
      setIncludeLocation(false);
      load();
    },
  );

  async function revoke(share: Share) {
    setRevokeError(null);
    try {
      await api.albums.revokeShare(share.id);
      if (created?.id === share.id) setCreated(null);
      load();
    } catch (err) {
      setRevokeError(err);
    }
  }

  const fullUrl = created ? new URL(created.url, window.location.origin).toString() : '';
  const minDate = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

  return (
    <Dialog label="Share album" onClose={onClose}>
      <div className="dialog-head">
        <h2>Share “{albumName}”</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <p className="muted small">Anyone with the link can see this album's photos, and nothing else in your library.</p>
      <form className="stack" onSubmit={form.onSubmit}>
        <FormFields form={form}>
          <div className="field-row">
            <div className="field">
              <label htmlFor="share-expires">Expires</label>
              <input id="share-expires" type="date" aria-invalid={form.invalid('expiresAt')} min={minDate} value={expires} onChange={(e) => setExpires(e.target.value)} aria-describedby="share-expires-hint" />
              <span id="share-expires-hint" className="hint">Optional: the link stops working after this day.</span>
            </div>
            <div className="field">
              <label htmlFor="share-password">Link password</label>
              <input
                id="share-password"
                type="password"
                autoComplete="new-password"
                minLength={MIN_PASSWORD_LENGTH}
                aria-invalid={form.invalid('password')}
                maxLength={256}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                aria-describedby="share-password-hint"
              />
              <span id="share-password-hint" className="hint">Optional: at least {MIN_PASSWORD_LENGTH} characters; visitors must enter it.</span>
            </div>
          </div>
          <div className="field">
            <label className="check">
              <input type="checkbox" checked={includeLocation} onChange={(e) => setIncludeLocation(e.target.checked)} aria-describedby="share-location-hint" />
              Include location and camera details
            </label>
            <span id="share-location-hint" className="hint">Off: visitors see no place or camera, and downloaded originals carry no GPS position or serial numbers.</span>
          </div>
          <button type="submit" className="button primary">
            {form.submitting ? 'Creating…' : 'Create link'}
          </button>
        </FormFields>
      </form>
      <ErrorMessage error={form.error} />
      <ErrorMessage error={revokeError} what="Could not revoke the link" />
      {created ? (
        <div className="created-link card">
          <label htmlFor="share-url">New link</label>
          <div className="row nowrap">
            <input id="share-url" readOnly value={fullUrl} onFocus={(e) => e.target.select()} />
            <button
              type="button"
              className="button"
              onClick={async () => setCopied((await copyText(fullUrl)) ? 'Link copied.' : 'Could not copy: select the link and copy it yourself.')}
            >
              Copy link
            </button>
          </div>
          <p className="hint">This is the only time the full link is shown{created.hasPassword ? '; share the password separately' : ''}.</p>
          {copied ? <p role="status" className="small">{copied}</p> : null}
        </div>
      ) : null}
      <h3>Links</h3>
      <ErrorMessage error={listError} what="Could not load the links" onRetry={load} />
      {shares && shares.length === 0 ? <p className="muted small">No links yet.</p> : null}
      {shares && shares.length > 0 ? (
        <ul className="share-list" aria-label="Share links">
          {shares.map((share) => (
            <li key={share.id} className={share.active ? 'share-item' : 'share-item inactive'}>
              <div>
                <div>Created {formatDateTime(share.createdAt)}</div>
                <div className="muted small">
                  {share.revokedAt ? `Revoked ${formatDateTime(share.revokedAt)}` : share.active ? (share.expiresAt ? `Expires ${formatDateTime(share.expiresAt)}` : 'Never expires') : 'Expired'}
                  {share.hasPassword ? ' · password' : ''}
                  {share.includeLocation ? ' · location and camera' : ''}
                </div>
              </div>
              {share.active ? (
                <button type="button" className="button subtle" onClick={() => revoke(share)}>
                  Revoke
                </button>
              ) : (
                <span className="badge">{share.revokedAt ? 'Revoked' : 'Expired'}</span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </Dialog>
  );
}
