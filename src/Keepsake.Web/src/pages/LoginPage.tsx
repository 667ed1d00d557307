import { useState } from 'react';
import { api } from '../api/endpoints';
import { useAuth } from '../auth';
import { ErrorMessage } from '../components/ErrorMessage';
import { FormFields } from '../components/FormFields';
import { Logo } from '../icons';
import { useFormSubmit } from '../useFormSubmit';

/** Only same-site paths: never send the user off to another site after logging in. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login')) return '/';
  return next;
}

export function LoginPage() {
  const { setUser } = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // The /login route sees the user and goes on to ?next.
  const form = useFormSubmit(() => api.auth.login({ email, password }), setUser);

  return (
    <main className="auth-page">
      <form className="card auth-card" onSubmit={form.onSubmit}>
        <FormFields form={form}>
          <div className="auth-brand"><Logo /> Keepsake</div>
          <h1>Log in</h1>
          <label htmlFor="login-email">Email</label>
          <input id="login-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={form.invalid('email')} />
          <label htmlFor="login-password">Password</label>
          <input id="login-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={form.invalid('password')} />
          <ErrorMessage error={form.error} />
          <button type="submit" className="button primary wide">
            {form.submitting ? 'Logging in…' : 'Log in'}
          </button>
        </FormFields>
      </form>
    </main>
  );
}
