import { ApiError, errorMessage } from '../api/problem';

/** A failure for the user: the problem's detail (or title), and each field's message from a validation problem. */
export function ErrorMessage({ error, onRetry, what }: { error: unknown; onRetry?: () => void; what?: string }) {
  if (!error) return null;
  const fieldMessages = error instanceof ApiError ? Object.values(error.fieldErrors).flat().filter((m) => !error.detail?.includes(m)) : [];
  const summary = error instanceof ApiError && fieldMessages.length > 0 ? error.detail ?? error.title : errorMessage(error);
  return (
    <div className="error" role="alert">
      <p>
        {what ? <strong>{what}: </strong> : null}
        {summary}
      </p>
      {fieldMessages.length > 0 ? (
        <ul className="field-errors">
          {fieldMessages.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
