import { useCallback, useState } from 'react';

export const INFO_PANEL_KEY = 'keepsake.viewer.details';
/** Where the viewer is the whole screen: the photo alone until the details are asked for. */
const PHONE = '(max-width: 760px)';

function remembered(): boolean | null {
  try {
    const saved = window.localStorage.getItem(INFO_PANEL_KEY);
    return saved === 'shown' ? true : saved === 'hidden' ? false : null;
  } catch {
    // Storage refused (a private window): the choice lasts as long as the page.
    return null;
  }
}

/**
 * Whether the viewer's details panel is shown: as the user last chose (kept in localStorage), else shown beside the
 * photo on a wide screen and hidden on a phone.
 */
export function useInfoPanel(): [boolean, (shown: boolean) => void] {
  const [shown, setShown] = useState(() => remembered() ?? !(window.matchMedia?.(PHONE).matches ?? false));
  const choose = useCallback((next: boolean) => {
    setShown(next);
    try {
      window.localStorage.setItem(INFO_PANEL_KEY, next ? 'shown' : 'hidden');
    } catch {
      // As above: not remembered, still applied.
    }
  }, []);
  return [shown, choose];
}
