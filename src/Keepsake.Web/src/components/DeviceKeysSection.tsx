import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/endpoints';
import type { CreatedDeviceKey, DeviceKey } from '../api/models';
import { formatDateTime } from '../format';
import { useFormSubmit } from '../useFormSubmit';
import { ErrorMessage } from './ErrorMessage';
import { FormFields } from './FormFields';
import { QrCode } from './QrCode';

type Scope = 'full' | 'upload' | 'read';

const scopes: { value: Scope; label: string }[] = [
  { value: 'upload', label: 'Upload only: back up photos, see nothing' },
  { value: 'read', label: 'Read only: see photos and albums, change nothing' },
  { value: 'full', label: 'Full: everything but keys, password and deleting the account' },
];

const scopeNames: Record<string, string> = { full: 'Full', upload: 'Upload only', read: 'Read only' };

/** What the QR code holds: the server's address and the key, as JSON a phone app reads in one scan. */
export function pairingText(server: string, key: string): string {
  return JSON.stringify({ server, key });
}

/** The Account page's "Devices": make a key for a phone (shown once, with a QR code), see when each was last used, revoke. */
export function DeviceKeysSection() {
  const [keys, setKeys] = useState<DeviceKey[] | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('upload');
  const [created, setCreated] = useState<CreatedDeviceKey | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [revokeError, setRevokeError] = useState<unknown>(null);

  const load = useCallback(() => {
    setListError(null);
    api.keys.list().then(setKeys, setListError);
  }, []);

  useEffect(load, [load]);

  const form = useFormSubmit(
    () => {
      setRevokeError(null);
      return api.keys.create({ name, scope });
    },
    (key) => {
      setCreated(key);
      setName('');
      load();
    },
  );

  async function revoke(id: string) {
    setRevokeError(null);
    try {
      await api.keys.revoke(id);
      setConfirming(null);
      if (created?.id === id) setCreated(null);
      load();
    } catch (err) {
      setRevokeError(err);
    }
  }

  const server = window.location.origin;

  return (
    <section className="card narrow stack" aria-labelledby="devices-heading">
      <h2 id="devices-heading">Devices</h2>
      <p className="muted small">
        A device key lets a phone or a script use Keepsake without your password. Each key is shown once; revoke it when a device is lost or given away.
      </p>
      <form className="stack" onSubmit={form.onSubmit}>
        <FormFields form={form}>
          <label htmlFor="device-name">Device name</label>
          <input id="device-name" required maxLength={100} placeholder="Anna's phone" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={form.invalid('name')} />
          <label htmlFor="device-scope">What it may do</label>
          <select id="device-scope" value={scope} onChange={(e) => setScope(e.target.value as Scope)} aria-invalid={form.invalid('scope')}>
            {scopes.map((s) => (
              <option key={s.value} value={s.value}>{s.label}</option>
            ))}
          </select>
          <ErrorMessage error={form.error} what="Could not create the key" />
          <button type="submit" className="button primary">
            {form.submitting ? 'Creating…' : 'Create key'}
          </button>
        </FormFields>
      </form>
      {created ? (
        <div className="created-key card stack" role="region" aria-label="New device key">
          <p>
            Scan this with the phone, or copy the server address and key into its app. This is the only time the key is shown.
          </p>
          <QrCode text={pairingText(server, created.key)} label={`QR code to scan with ${created.name}: the server address and the new key`} />
          <label htmlFor="created-server">Server</label>
          <input id="created-server" readOnly value={server} onFocus={(e) => e.target.select()} />
          <label htmlFor="created-key">Key for {created.name}</label>
          <input id="created-key" readOnly value={created.key} onFocus={(e) => e.target.select()} />
          <div className="row">
            <button type="button" className="button" onClick={() => setCreated(null)}>Done</button>
          </div>
        </div>
      ) : null}
      <h3>Your keys</h3>
      <ErrorMessage error={listError} what="Could not load the keys" onRetry={load} />
      <ErrorMessage error={revokeError} what="Could not revoke the key" />
      {keys && keys.length === 0 ? <p className="muted small">No device keys yet.</p> : null}
      {keys && keys.length > 0 ? (
        <ul className="share-list" aria-label="Device keys">
          {keys.map((key) => (
            <li key={key.id} className="share-item">
              <div>
                <div>
                  <strong>{key.name}</strong> · {scopeNames[key.scope] ?? key.scope}
                </div>
                <div className="muted small">
                  Created {formatDateTime(key.createdAt)} · {key.lastUsedAt ? `last used ${formatDateTime(key.lastUsedAt)}` : 'never used'}
                </div>
                {confirming === key.id ? (
                  <div className="confirm" role="group" aria-label={`Confirm revoking ${key.name}`}>
                    <p>Revoke the key of {key.name}? The device is refused from its next request.</p>
                    <div className="row">
                      <button type="button" className="button danger" onClick={() => revoke(key.id)}>Yes, revoke</button>
                      <button type="button" className="button" onClick={() => setConfirming(null)}>Cancel</button>
                    </div>
                  </div>
                ) : null}
              </div>
              {confirming === key.id ? null : (
                <button type="button" className="button danger" onClick={() => setConfirming(key.id)} aria-label={`Revoke ${key.name}`}>
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
