import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/endpoints';
import { useAuth } from '../auth';
import { ErrorMessage } from '../components/ErrorMessage';
import { FormFields } from '../components/FormFields';
import { Logo } from '../icons';
import { useFormSubmit } from '../useFormSubmit';

export function SetupPage({ onDone }: { onDone: () => void }) {
  const { setUser } = useAuth();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useFormSubmit(
    () => api.setup.createOwner({ email, password }),
    (user) => {
      setUser(user);
      onDone();
      navigate('/', { replace: true });
    },
  );

  return (
    <main className="auth-page">
      <form className="card auth-card" onSubmit={form.onSubmit}>
        <FormFields form={form}>
          <div className="auth-brand"><Logo /> Keepsake</div>
          <h1>Welcome to Keepsake</h1>
          <p className="muted">Create the owner account. You can add more people later.</p>
          <label htmlFor="setup-email">Email</label>
          <input id="setup-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={form.invalid('email')} />
          <label htmlFor="setup-password">Password</label>
          <input id="setup-password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={form.invalid('password')} />
          <ErrorMessage error={form.error} />
          <button type="submit" className="button primary wide">
            {form.submitting ? 'Creating…' : 'Create owner account'}
          </button>
        </FormFields>
      </form>
    </main>
  );
}
