import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { ApiError, asProblem, failedRequestMessage } from './problem';

export type Schemas = components['schemas'];

type UnauthorizedHandler = () => void;
let unauthorizedHandler: UnauthorizedHandler | null = null;

/** Called on any 401 from a signed-in request; the app sends the user to the login page. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  unauthorizedHandler = handler;
}

export function notifyUnauthorized(): void {
  unauthorizedHandler?.();
}

/** What a request that got no answer at all says: the device is offline, or the server or the way to it is down. */
function unreachable(): string {
  return navigator.onLine
    ? 'Could not reach the Keepsake server; check your connection and try again.'
    : 'This device is offline. Keepsake works again once it is back online.';
}

/** The server's API, typed from openapi.json. Calls go through {@link unwrap}, which turns a failure into an ApiError. */
export const client = createClient<paths>({
  // openapi-fetch builds a Request, which needs an absolute address outside a browser too (tests).
  baseUrl: window.location.origin,
  credentials: 'same-origin',
  headers: { Accept: 'application/json' },
  // Looked up at each call, so a test's stand-in for fetch is the one used.
  fetch: (request) => globalThis.fetch(request),
});

export interface AntiforgeryToken {
  token: string;
  headerName: string;
}

/** A fresh antiforgery token: the cookie it pairs with changes when the user signs in or out. */
export async function getAntiforgeryToken(): Promise<AntiforgeryToken> {
  const body = await unwrap(client.GET('/api/antiforgery'), { allowUnauthorized: true });
  return { token: body.token, headerName: body.headerName || 'X-XSRF-TOKEN' };
}

const readOnly = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The server refuses a write without the antiforgery header (AntiforgeryMiddleware). */
const antiforgery: Middleware = {
  async onRequest({ request }) {
    if (readOnly.has(request.method)) return undefined;
    const { token, headerName } = await getAntiforgeryToken();
    request.headers.set(headerName, token);
    return request;
  },
  onError({ error }) {
    if (error instanceof DOMException && error.name === 'AbortError') return undefined;
    return new ApiError(0, {}, unreachable());
  },
};
client.use(antiforgery);

export interface UnwrapOptions {
  /** A 401 is an expected answer here (login, /me, share links): do not send the user to the login page. */
  allowUnauthorized?: boolean;
}

/** The body of a successful call; a failure becomes an ApiError holding the server's RFC 7807 problem. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
  options: UnwrapOptions = {},
): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  if (response.status === 401 && !options.allowUnauthorized) notifyUnauthorized();
  throw new ApiError(response.status, asProblem(error), failedRequestMessage(response));
}

type PathParameters<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}` ? { [K in Name]: string } & PathParameters<Rest> : unknown;

/** The address of a GET endpoint for the browser to fetch itself (a download link, an image), with its path filled in. */
export function linkTo<Path extends keyof paths & string>(path: Path, ...[parameters]: Path extends `${string}{${string}` ? [PathParameters<Path>] : []): string {
  const values = (parameters ?? {}) as Record<string, string>;
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name]));
}
