import { errorMessage } from '../api';

export function ErrorMessage({ error, onRetry, what }: { error: unknown; onRetry?: () => void; what?: string }) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      <p>
        {what ? <strong>{what}: </strong> : null}
        {errorMessage(error)}
      </p>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
