/** An RFC 7807 problem from the server, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  /** Validation messages by field name (a validation problem's `errors`). */
  readonly fieldErrors: Readonly<Record<string, readonly string[]>>;
  readonly problem: Record<string, unknown>;

  constructor(status: number, problem: Record<string, unknown>, fallback: string) {
    super(problemMessage(problem, fallback));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.title = typeof problem.title === 'string' && problem.title ? problem.title : undefined;
    this.detail = typeof problem.detail === 'string' && problem.detail ? problem.detail : undefined;
    this.fieldErrors = fieldErrorsOf(problem);
  }
}

function fieldErrorsOf(problem: Record<string, unknown>): Record<string, string[]> {
  const errors = problem.errors;
  if (!errors || typeof errors !== 'object') return {};
  return Object.fromEntries(
    Object.entries(errors as Record<string, unknown>)
      .map(([field, value]) => [field, (Array.isArray(value) ? value : [value]).filter((m): m is string => typeof m === 'string')] as const)
      .filter(([, messages]) => messages.length > 0),
  );
}

function problemMessage(problem: Record<string, unknown>, fallback: string): string {
  if (typeof problem.detail === 'string' && problem.detail) return problem.detail;
  const messages = Object.values(fieldErrorsOf(problem)).flat();
  if (messages.length > 0) return messages.join(' ');
  if (typeof problem.title === 'string' && problem.title) return problem.title;
  return fallback;
}

/** The problem body of a failed response: a JSON object, or nothing usable (a proxy's HTML page, an empty body). */
export function asProblem(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

export function failedRequestMessage(response: Response): string {
  return `The request failed (${response.status}${response.statusText ? ` ${response.statusText}` : ''}).`;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
