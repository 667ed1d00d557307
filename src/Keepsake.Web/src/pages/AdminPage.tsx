import { useEffect, useState } from 'react';
import { api } from '../api/endpoints';
import { useAuth } from '../auth';
import type { User, UserUsage, WeatherStatus } from '../api/models';
import { EmailText } from '../components/EmailText';
import { ErrorMessage } from '../components/ErrorMessage';
import { FormFields } from '../components/FormFields';
import { PhotoBackupSection } from '../components/PhotoBackupSection';
import { formatBytes, formatDateTime } from '../format';
import { useFormSubmit } from '../useFormSubmit';
import { ManageUserDialog } from './admin/ManageUserDialog';

export function AdminPage() {
  const [users, setUsers] = useState<User[] | null>(null);
  const [usage, setUsage] = useState<ReadonlyMap<string, UserUsage>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [managing, setManaging] = useState<string | null>(null);
  const [erased, setErased] = useState<string | null>(null);
  const { user: me } = useAuth();
  const managed = users?.find((u) => u.id === managing);

  useEffect(() => {
    setError(null);
    api.admin.users().then(setUsers, setError);
    // Usage only adds columns: without it the users are listed all the same.
    api.admin.usage().then((list) => setUsage(new Map(list.map((u) => [u.userId, u]))), () => undefined);
  }, [attempt]);

  const form = useFormSubmit(
    () => {
      setNotice(null);
      return api.admin.createUser({ email, password, isAdmin });
    },
    (user) => {
      setUsers((prev) => [...(prev ?? []), user]);
      setNotice(`Created ${user.email}.`);
      setEmail('');
      setPassword('');
      setIsAdmin(false);
    },
  );

  return (
    <section className="page">
      <h1>Users</h1>
      <form className="card stack narrow" onSubmit={form.onSubmit} aria-labelledby="new-user-heading">
        <FormFields form={form}>
          <h2 id="new-user-heading">Add a user</h2>
          <label htmlFor="new-user-email">Email</label>
          <input id="new-user-email" type="email" autoComplete="off" required value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={form.invalid('email')} />
          <label htmlFor="new-user-password">Password</label>
          <input id="new-user-password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={form.invalid('password')} />
          <label className="check">
            <input type="checkbox" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} /> Administrator
          </label>
          <ErrorMessage error={form.error} what="Could not create the user" />
          {notice ? <p role="status">{notice}</p> : null}
          <button type="submit" className="button primary">
            {form.submitting ? 'Creating…' : 'Create user'}
          </button>
        </FormFields>
      </form>
      <ErrorMessage error={error} what="Could not load the users" onRetry={() => setAttempt((a) => a + 1)} />
      {erased ? <p role="status">Erased {erased} and everything they kept.</p> : null}
      {users ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Photos</th>
                <th scope="col">Storage</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>
                    <EmailText email={u.email} />
                  </td>
                  <td>
                    {u.isAdmin ? 'Administrator' : 'User'}
                    {u.disabled ? <span className="muted"> (disabled)</span> : null}
                  </td>
                  <td>{formatDateTime(u.createdAt)}</td>
                  <td>
                    {usage.get(u.id)?.photos ?? 0}
                    {usage.get(u.id)?.photosInTrash ? <span className="muted"> ({usage.get(u.id)!.photosInTrash} in the trash)</span> : null}
                  </td>
                  <td>{formatBytes(usage.get(u.id)?.originalBytes ?? 0)}</td>
                  <td>
                    <button type="button" className="button subtle" aria-label={`Manage ${u.email}`} onClick={() => setManaging(u.id)}>
                      Manage
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {managed ? (
        <ManageUserDialog
          user={managed}
          meId={me?.id}
          onChanged={(changed) => setUsers((prev) => prev?.map((u) => (u.id === changed.id ? changed : u)) ?? null)}
          onErased={(id) => {
            setManaging(null);
            setUsers((prev) => prev?.filter((u) => u.id !== id) ?? null);
            setErased(users?.find((u) => u.id === id)?.email ?? null);
          }}
          onClose={() => setManaging(null)}
        />
      ) : null}
      <PhotoBackupSection />
      <WeatherSection />
    </section>
  );
}

/** Whether weather is on, what turning it on sends, and how the queue is doing. */
function WeatherSection() {
  const [status, setStatus] = useState<WeatherStatus | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.admin.weather().then(setStatus, setError);
  }, []);

  return (
    <section className="card stack" aria-labelledby="weather-heading">
      <h2 id="weather-heading">Weather</h2>
      <ErrorMessage error={error} what="Could not load the weather status" />
      {status && !status.enabled ? (
        <p>
          Weather is <strong>off</strong>. Turning it on (setting <code>Weather:Enabled</code>) sends each photo&apos;s place, rounded to
          0.1° (about 11 km), and its date to <code className="break">{status.provider}</code>; never a name, an id or the photo.
        </p>
      ) : null}
      {status && status.enabled ? (
        <>
          <p>
            Weather is <strong>on</strong>: rounded places (0.1°, about 11 km) and dates of photos are sent to{' '}
            <code className="break">{status.provider}</code>.
          </p>
          <p role="status">
            {status.storedPlaceDays} place-days stored, {status.queued} queued
            {status.waitingForArchive > 0 ? ` (${status.waitingForArchive} waiting for the archive)` : ''}
            {status.failing > 0 ? `, ${status.failing} failing (last: ${status.lastFailure ?? 'unknown'})` : ''}.
          </p>
        </>
      ) : null}
    </section>
  );
}
