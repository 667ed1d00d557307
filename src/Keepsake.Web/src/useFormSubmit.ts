import { useCallback, useRef, useState, type FormEvent } from 'react';
import { ApiError } from './api/problem';

export interface FormSubmit {
  /** From submit until the server answers; the form's fields are disabled meanwhile (see FormFields). */
  submitting: boolean;
  /** The last failure, usually an ApiError holding the server's problem; shown by ErrorMessage. */
  error: unknown;
  onSubmit: (e: FormEvent) => void;
  /** Whether the last problem named this field in its `errors`, for aria-invalid. */
  invalid: (field: string) => boolean;
}

/**
 * What every form does on submit: run `action` once at a time, then hand its result to `onDone`, or keep the
 * problem the server answered with for the form to show. The latest `action` and `onDone` are used, so they
 * may read the form's current state.
 */
export function useFormSubmit<T>(action: () => Promise<T>, onDone?: (result: T) => void): FormSubmit {
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const running = useRef(false);
  const latest = useRef({ action, onDone });
  latest.current = { action, onDone };

  const onSubmit = useCallback((e: FormEvent) => {
    e.preventDefault();
    if (running.current) return;
    running.current = true;
    setSubmitting(true);
    setError(null);
    latest.current.action().then(
      (result) => {
        running.current = false;
        setSubmitting(false);
        latest.current.onDone?.(result);
      },
      (failure: unknown) => {
        running.current = false;
        setSubmitting(false);
        setError(failure);
      },
    );
  }, []);

  const invalid = useCallback(
    (field: string) =>
      error instanceof ApiError && Object.keys(error.fieldErrors).some((name) => name.toLowerCase() === field.toLowerCase()),
    [error],
  );

  return { submitting, error, onSubmit, invalid };
}
