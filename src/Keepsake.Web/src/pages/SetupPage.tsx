import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../api';
import { useAuth } from '../auth';
import { ErrorMessage } from '../components/ErrorMessage';
import { Logo } from '../icons';
import type { User } from '../types';

export function SetupPage({ onDone }: { onDone: () => void }) {
  const { setUser } = useAuth();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await api<User>('/api/setup', { method: 'POST', body: { email, password }, allowUnauthorized: true });
      setUser(user);
      onDone();
      navigate('/', { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="auth-page">
      <form className="card auth-card" onSubmit={submit}>
        <div className="auth-brand"><Logo /> Keepsake</div>
        <h1>Welcome to Keepsake</h1>
        <p className="muted">Create the owner account. You can add more people later.</p>
        <label htmlFor="setup-email">Email</label>
        <input id="setup-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="setup-password">Password</label>
        <input id="setup-password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <ErrorMessage error={error} />
        <button type="submit" className="button primary wide" disabled={busy}>
          {busy ? 'Creating…' : 'Create owner account'}
        </button>
      </form>
    </main>
  );
}
