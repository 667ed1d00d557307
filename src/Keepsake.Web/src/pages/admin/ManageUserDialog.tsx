import { useState } from 'react';
import { api } from '../../api/endpoints';
import type { User } from '../../api/models';
import { Dialog } from '../../components/Dialog';
import { EmailText } from '../../components/EmailText';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FormFields } from '../../components/FormFields';
import { CloseIcon } from '../../icons';
import { useFormSubmit } from '../../useFormSubmit';

interface ManageUserDialogProps {
  user: User;
  /** The signed-in admin's own id: their own account is managed from the account page. */
  meId: string | undefined;
  onChanged: (user: User) => void;
  onErased: (id: string) => void;
  onClose: () => void;
}

/** An admin's actions on one account: role, disable, sign out everywhere, a new password, erase. */
export function ManageUserDialog({ user, meId, onChanged, onErased, onClose }: ManageUserDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmingErase, setConfirmingErase] = useState(false);
  const [password, setPassword] = useState('');
  const own = user.id === meId;

  async function run(action: () => Promise<unknown>, done: string) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await action();
      setNotice(done);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const update = (change: { isAdmin?: boolean; disabled?: boolean }, done: string) =>
    run(async () => onChanged(await api.admin.updateUser(user.id, { isAdmin: change.isAdmin ?? null, disabled: change.disabled ?? null })), done);

  const reset = useFormSubmit(
    () => {
      setNotice(null);
      return api.admin.resetPassword(user.id, password);
    },
    () => {
      setPassword('');
      setNotice(`New password set; ${user.email} was signed out everywhere. Give them the new password.`);
    },
  );

  return (
    <Dialog label={`Manage ${user.email}`} onClose={onClose}>
      <div className="dialog-head">
        <h2>
          <EmailText email={user.email} />
        </h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      {own ? <p className="muted small">This is your account: change your password or delete it from the account page.</p> : null}
      <div className="row">
        <button type="button" className="button" disabled={busy} onClick={() => update({ isAdmin: !user.isAdmin }, user.isAdmin ? 'No longer an administrator.' : 'Now an administrator.')}>
          {user.isAdmin ? 'Remove administrator' : 'Make administrator'}
        </button>
        {own ? null : (
          <button type="button" className="button" disabled={busy} onClick={() => update({ disabled: !user.disabled }, user.disabled ? 'Account enabled.' : 'Account disabled; its sessions ended.')}>
            {user.disabled ? 'Enable account' : 'Disable account'}
          </button>
        )}
        <button type="button" className="button" disabled={busy} onClick={() => run(() => api.admin.signOutUser(user.id), 'Signed out everywhere.')}>
          Sign out everywhere
        </button>
      </div>
      {own ? null : (
        <form className="stack" onSubmit={reset.onSubmit} aria-labelledby="reset-password-heading">
          <FormFields form={reset}>
            <h3 id="reset-password-heading">Reset password</h3>
            <label htmlFor="reset-password">New password</label>
            <input id="reset-password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={reset.invalid('password')} />
            <ErrorMessage error={reset.error} what="Could not set the password" />
            <button type="submit" className="button">
              {reset.submitting ? 'Setting…' : 'Set new password'}
            </button>
          </FormFields>
        </form>
      )}
      <ErrorMessage error={error} />
      {notice ? <p role="status">{notice}</p> : null}
      {own ? null : confirmingErase ? (
        <div className="confirm" role="group" aria-label="Confirm erase">
          <p>
            Erase{' '}
            <strong>
              <EmailText email={user.email} />
            </strong>{' '}
            for good: the account, every photo, album and share link. It cannot be undone.
          </p>
          <div className="row">
            <button
              type="button"
              className="button danger"
              disabled={busy}
              onClick={() =>
                run(async () => {
                  await api.admin.eraseUser(user.id);
                  onErased(user.id);
                }, 'Erased.')
              }
            >
              {busy ? 'Erasing…' : 'Yes, erase for good'}
            </button>
            <button type="button" className="button" onClick={() => setConfirmingErase(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="button danger" disabled={busy} onClick={() => setConfirmingErase(true)}>
          Erase account…
        </button>
      )}
    </Dialog>
  );
}
