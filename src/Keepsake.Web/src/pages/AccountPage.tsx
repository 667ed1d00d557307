import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/endpoints';
import { useAuth } from '../auth';
import { DeviceKeysSection } from '../components/DeviceKeysSection';
import { ErrorMessage } from '../components/ErrorMessage';
import { FormFields } from '../components/FormFields';
import { useFormSubmit } from '../useFormSubmit';
import { forgetCachedThumbnails } from '../thumbnailCache';

export function AccountPage() {
  const { user, setUser } = useAuth();
  const navigate = useNavigate();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [done, setDone] = useState(false);
  const [logoutError, setLogoutError] = useState<unknown>(null);
  const [erasePassword, setErasePassword] = useState('');
  const [eraseConfirmed, setEraseConfirmed] = useState(false);

  const passwordForm = useFormSubmit(
    () => {
      setDone(false);
      return api.auth.changePassword({ currentPassword, newPassword });
    },
    () => {
      setDone(true);
      setCurrentPassword('');
      setNewPassword('');
    },
  );

  const signedOut = () => {
    setUser(null);
    navigate('/login', { replace: true });
  };
  const eraseForm = useFormSubmit(() => api.me.erase(erasePassword), signedOut);

  async function signOutEverywhere() {
    setLogoutError(null);
    try {
      await api.auth.logoutEverywhere();
      await forgetCachedThumbnails();
      signedOut();
    } catch (err) {
      setLogoutError(err);
    }
  }

  return (
    <section className="page">
      <h1>Account</h1>
      <p className="muted">Signed in as <strong>{user?.email}</strong>{user?.isAdmin ? ' (administrator)' : ''}.</p>
      <form className="card stack narrow" onSubmit={passwordForm.onSubmit} aria-labelledby="password-heading">
        <FormFields form={passwordForm}>
          <h2 id="password-heading">Change password</h2>
          <label htmlFor="current-password">Current password</label>
          <input id="current-password" type="password" autoComplete="current-password" required value={currentPassword} onChange={(e) => setCurrentPassword(e.target.value)} aria-invalid={passwordForm.invalid('currentPassword')} />
          <label htmlFor="new-password">New password</label>
          <input id="new-password" type="password" autoComplete="new-password" required value={newPassword} onChange={(e) => setNewPassword(e.target.value)} aria-invalid={passwordForm.invalid('newPassword')} />
          <ErrorMessage error={passwordForm.error} what="Could not change the password" />
          {done ? <p role="status">Your password was changed.</p> : null}
          <button type="submit" className="button primary">
            {passwordForm.submitting ? 'Changing…' : 'Change password'}
          </button>
        </FormFields>
      </form>
      <DeviceKeysSection />
      <div className="card narrow stack">
        <h2>Sign out everywhere</h2>
        <p className="muted small">Ends every session of yours, on every device (a lost phone, a shared computer). Sign out of this browser alone from the menu under your initial.</p>
        <ErrorMessage error={logoutError} what="Could not sign out everywhere" onRetry={signOutEverywhere} />
        <div className="row">
          <button type="button" className="button" onClick={signOutEverywhere}>Sign out everywhere</button>
        </div>
      </div>
      <div className="card narrow stack">
        <h2>Your data</h2>
        <p className="muted small">A zip of every original you uploaded, under its file name, and a JSON file with your account, albums, share links, device keys and photo details.</p>
        <a className="button" href={api.me.exportUrl} download>Download my data</a>
      </div>
      <form className="card stack narrow" onSubmit={eraseForm.onSubmit} aria-labelledby="erase-heading">
        <FormFields form={eraseForm}>
          <h2 id="erase-heading">Delete my account</h2>
          <p className="muted small">
            Erases your account, photos, albums and share links at once. Backups that still hold them are scrubbed within a day; no restore brings them back. This cannot be undone.
          </p>
          <label htmlFor="erase-password">Password</label>
          <input id="erase-password" type="password" autoComplete="current-password" required value={erasePassword} onChange={(e) => setErasePassword(e.target.value)} aria-invalid={eraseForm.invalid('password')} />
          <label className="checkbox">
            <input type="checkbox" checked={eraseConfirmed} onChange={(e) => setEraseConfirmed(e.target.checked)} /> I understand that everything is erased for good
          </label>
          <ErrorMessage error={eraseForm.error} what="Your account was not deleted" />
          <button type="submit" className="button danger" disabled={!eraseConfirmed}>
            {eraseForm.submitting ? 'Deleting…' : 'Delete my account'}
          </button>
        </FormFields>
      </form>
    </section>
  );
}
