import { vi } from 'vitest';

export interface Call {
  /** Path and query, as the app asked for them (the origin left out). */
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

type Handler = (call: Call) => { status?: number; body?: unknown } | undefined;

/** What a test's Call sees of a request: the typed client sends Request objects, other callers a URL and init. */
async function toCall(input: RequestInfo | URL, init: RequestInit = {}): Promise<Call> {
  const request = input instanceof Request ? input : new Request(new URL(String(input), window.location.origin), init);
  const address = new URL(request.url);
  const text = request.body ? await request.text() : '';
  return {
    url: address.pathname + address.search,
    method: request.method.toUpperCase(),
    headers: Object.fromEntries(request.headers.entries()),
    body: text ? JSON.parse(text) : undefined,
  };
}

/**
 * A fetch stand-in: routes "METHOD /path" to a handler and records every call. Header names in a Call are
 * lower case, as the Fetch API gives them.
 */
export function mockFetch(routes: Record<string, Handler | { status?: number; body?: unknown }>) {
  const calls: Call[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = await toCall(input, init);
    calls.push(call);
    const path = call.url.split('?')[0];
    const route = routes[`${call.method} ${call.url}`] ?? routes[`${call.method} ${path}`];
    if (!route) return problemResponse(404, { title: 'Not found', status: 404 });
    const result = typeof route === 'function' ? route(call) ?? {} : route;
    const status = result.status ?? 200;
    return new Response(status === 204 || result.body === undefined ? null : JSON.stringify(result.body), {
      status,
      headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fn);
  return { calls, fn };
}

function problemResponse(status: number, problem: Record<string, unknown>): Response {
  return new Response(JSON.stringify(problem), { status, headers: { 'Content-Type': 'application/problem+json' } });
}
