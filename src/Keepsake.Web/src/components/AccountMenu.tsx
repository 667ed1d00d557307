import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../api/endpoints';
import type { User } from '../api/models';
import { useAuth } from '../auth';
import { ErrorMessage } from './ErrorMessage';
import { forgetCachedThumbnails } from '../thumbnailCache';

/**
 * The signed-in user's menu in the header (the menu button pattern): a round button with their initial opens their
 * e-mail, Account, Admin for an administrator, and Sign out. While open the arrow keys and Tab move between its items
 * and the focus stays in it; Esc or a click outside closes it.
 */
export function AccountMenu({ user }: { user: User }) {
  const { setUser } = useAuth();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const initial = user.email.trim().charAt(0).toUpperCase() || '?';

  const items = () => Array.from(menu.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? []);

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    function onOutside(event: Event) {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    }
    document.addEventListener('pointerdown', onOutside);
    document.addEventListener('focusin', onOutside);
    return () => {
      document.removeEventListener('pointerdown', onOutside);
      document.removeEventListener('focusin', onOutside);
    };
  }, [open]);

  function close() {
    setOpen(false);
    button.current?.focus();
  }

  function onMenuKeyDown(event: KeyboardEvent) {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    const focus = (i: number) => all[(i + all.length) % all.length]?.focus();
    const moves: Record<string, () => void> = {
      Escape: close,
      ArrowDown: () => focus(at + 1),
      ArrowUp: () => focus(at - 1),
      Home: () => focus(0),
      End: () => focus(all.length - 1),
      Tab: () => focus(event.shiftKey ? at - 1 : at + 1),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
  }

  function onButtonKeyDown(event: KeyboardEvent) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
    }
  }

  async function signOut() {
    setError(null);
    try {
      await api.auth.logout();
      await forgetCachedThumbnails();
      setUser(null);
      navigate('/login', { replace: true });
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div ref={root} className="account-menu">
      <button ref={button} type="button" className="avatar" aria-label={`Account menu for ${user.email}`} aria-haspopup="menu" aria-expanded={open}
        aria-controls={open ? menuId : undefined} onClick={() => setOpen(!open)} onKeyDown={onButtonKeyDown}>
        <span aria-hidden="true">{initial}</span>
      </button>
      {open ? (
        <div ref={menu} id={menuId} role="menu" aria-label={`Signed in as ${user.email}`} className="account-menu-list" onKeyDown={onMenuKeyDown}>
          <div role="none" className="account-menu-email email">{user.email}</div>
          <Link role="menuitem" tabIndex={-1} to="/account" onClick={() => setOpen(false)}>Account</Link>
          {user.isAdmin ? <Link role="menuitem" tabIndex={-1} to="/admin" onClick={() => setOpen(false)}>Admin</Link> : null}
          <button role="menuitem" tabIndex={-1} type="button" onClick={signOut}>Sign out</button>
          <ErrorMessage error={error} what="Could not sign out" />
        </div>
      ) : null}
    </div>
  );
}
