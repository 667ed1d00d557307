import { useRegisterSW } from 'virtual:pwa-register/react';

/**
 * Registers the service worker that keeps the app usable offline, and says when a newer version of the app is ready:
 * it takes over only when the user reloads through this notice, so a page never mixes an old version with a new one.
 */
export function UpdateNotice() {
  const { needRefresh: [needRefresh, setNeedRefresh], updateServiceWorker } = useRegisterSW();
  if (!needRefresh) return null;
  return (
    <div className="notice update-notice" role="status">
      <span>A new version of Keepsake is ready.</span>
      <button type="button" className="button primary" onClick={() => void updateServiceWorker(true)}>Reload</button>
      <button type="button" className="button subtle" onClick={() => setNeedRefresh(false)}>Later</button>
    </div>
  );
}
