import { useEffect, useRef, type ReactNode, type KeyboardEvent } from 'react';

const focusable = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  label: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
  /** Extra key handling (the viewer's arrow keys). */
  onKeyDown?: (e: KeyboardEvent<HTMLDivElement>) => void;
}

/** A modal dialog: focus moves in on open, stays inside (Tab wraps), Esc closes, focus returns on close. */
export function Dialog({ label, onClose, children, className, onKeyDown }: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const node = ref.current;
    const first = node?.querySelector<HTMLElement>('[data-autofocus]') ?? node?.querySelector<HTMLElement>(focusable);
    (first ?? node)?.focus();
    const overflow = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    return () => {
      document.body.style.overflow = overflow;
      if (previous && document.contains(previous)) previous.focus();
    };
  }, []);

  useEffect(() => {
    // Focus falls out to the page when the focused button is disabled or removed (a photo deleted from the viewer):
    // Esc still closes the dialog then, and Tab brings focus back into it.
    function onPageKeyDown(e: globalThis.KeyboardEvent) {
      if (document.activeElement !== document.body && document.activeElement !== null) return;
      if (e.key === 'Escape') {
        onCloseRef.current();
      } else if (e.key === 'Tab') {
        e.preventDefault();
        (ref.current?.querySelector<HTMLElement>(focusable) ?? ref.current)?.focus();
      }
    }
    document.addEventListener('keydown', onPageKeyDown);
    return () => document.removeEventListener('keydown', onPageKeyDown);
  }, []);

  function handleKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onCloseRef.current();
      return;
    }
    if (e.key === 'Tab' && ref.current) {
      const items = Array.from(ref.current.querySelectorAll<HTMLElement>(focusable));
      if (items.length === 0) return;
      const first = items[0];
      const last = items[items.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
      return;
    }
    onKeyDown?.(e);
  }

  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCloseRef.current()}>
      <div ref={ref} role="dialog" aria-modal="true" aria-label={label} tabIndex={-1} className={className ?? 'dialog'} onKeyDown={handleKeyDown}>
        {children}
      </div>
    </div>
  );
}
