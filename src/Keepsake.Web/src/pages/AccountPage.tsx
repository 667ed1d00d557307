import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../api';
import { useAuth } from '../auth';
import { ErrorMessage } from '../components/ErrorMessage';

export function AccountPage() {
  const { user, setUser } = useAuth();
  const navigate = useNavigate();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [logoutError, setLogoutError] = useState<unknown>(null);

  async function change(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await api<void>('/api/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
      setDone(true);
      setCurrentPassword('');
      setNewPassword('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function logout() {
    setLogoutError(null);
    try {
      await api<void>('/api/auth/logout', { method: 'POST', allowUnauthorized: true });
      setUser(null);
      navigate('/login', { replace: true });
    } catch (err) {
      setLogoutError(err);
    }
  }

  return (
    <section className="page">
      <h1>Account</h1>
      <p className="muted">Signed in as <strong>{user?.email}</strong>{user?.isAdmin ? ' (administrator)' : ''}.</p>
      <form className="card stack narrow" onSubmit={change} aria-labelledby="password-heading">
        <h2 id="password-heading">Change password</h2>
        <label htmlFor="current-password">Current password</label>
        <input id="current-password" type="password" autoComplete="current-password" required value={currentPassword} onChange={(e) => setCurrentPassword(e.target.value)} />
        <label htmlFor="new-password">New password</label>
        <input id="new-password" type="password" autoComplete="new-password" required value={newPassword} onChange={(e) => setNewPassword(e.target.value)} />
        <ErrorMessage error={error} what="Could not change the password" />
        {done ? <p role="status">Your password was changed.</p> : null}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </form>
      <div className="card narrow stack">
        <h2>Log out</h2>
        <p className="muted small">Ends this session on this browser.</p>
        <ErrorMessage error={logoutError} what="Could not log out" onRetry={logout} />
        <button type="button" className="button" onClick={logout}>Log out</button>
      </div>
    </section>
  );
}
