/** A short word on what just happened, until the user dismisses it. */
export function Notice({ text, onDismiss }: { text: string | null; onDismiss: () => void }) {
  if (!text) return null;
  return (
    <p className="notice" role="status">
      {text}{' '}
      <button type="button" className="button subtle" onClick={onDismiss}>Dismiss</button>
    </p>
  );
}
