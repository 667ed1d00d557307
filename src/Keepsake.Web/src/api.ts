import type { UploadResponse } from './types';

/** An RFC 7807 problem from the server, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  readonly problem: Record<string, unknown>;

  constructor(status: number, problem: Record<string, unknown>, fallback: string) {
    super(problemMessage(problem, fallback));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.title = typeof problem.title === 'string' ? problem.title : undefined;
    this.detail = typeof problem.detail === 'string' ? problem.detail : undefined;
  }
}

function problemMessage(problem: Record<string, unknown>, fallback: string): string {
  if (typeof problem.detail === 'string' && problem.detail) return problem.detail;
  const errors = problem.errors;
  if (errors && typeof errors === 'object') {
    const messages = Object.values(errors as Record<string, unknown>).flatMap((v) => (Array.isArray(v) ? v : [v])).filter((m): m is string => typeof m === 'string');
    if (messages.length > 0) return messages.join(' ');
  }
  if (typeof problem.title === 'string' && problem.title) return problem.title;
  return fallback;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

type UnauthorizedHandler = () => void;
let unauthorizedHandler: UnauthorizedHandler | null = null;

/** Called on any 401 from a signed-in request; the app sends the user to the login page. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  unauthorizedHandler = handler;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** A 401 is an expected answer here (login, /me, share links): do not redirect to the login page. */
  allowUnauthorized?: boolean;
}

interface AntiforgeryToken {
  token: string;
  headerName: string;
}

/** A fresh antiforgery token: the cookie it pairs with changes when the user signs in or out. */
export async function getAntiforgeryToken(): Promise<AntiforgeryToken> {
  const response = await fetchOrFail('/api/antiforgery', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!response.ok) throw await toError(response);
  const body = (await response.json()) as AntiforgeryToken;
  return { token: body.token, headerName: body.headerName || 'X-XSRF-TOKEN' };
}

async function fetchOrFail(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, {}, 'Could not reach the Keepsake server; check your connection and try again.');
  }
}

async function toError(response: Response): Promise<ApiError> {
  let problem: Record<string, unknown> = {};
  try {
    const text = await response.text();
    if (text) {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') problem = parsed as Record<string, unknown>;
    }
  } catch {
    // not JSON: fall back to the status text
  }
  return new ApiError(response.status, problem, `The request failed (${response.status} ${response.statusText}).`.replace(' )', ')'));
}

/** JSON request to the API. Writes carry the antiforgery header; 401 sends the user to log in. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') {
    const { token, headerName } = await getAntiforgeryToken();
    headers[headerName] = token;
  }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetchOrFail(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (!response.ok) {
    const error = await toError(response);
    if (response.status === 401 && !options.allowUnauthorized) unauthorizedHandler?.();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export type Uploader = (file: File, onProgress: (fraction: number) => void) => Promise<UploadResponse>;

/** Uploads one file with XMLHttpRequest so the browser reports its progress. */
export const xhrUpload: Uploader = async (file, onProgress) => {
  const { token, headerName } = await getAntiforgeryToken();
  return new Promise<UploadResponse>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/photos');
    xhr.setRequestHeader(headerName, token);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, {}, `${file.name}: the upload was interrupted; check your connection and retry.`));
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = xhr.responseText ? (JSON.parse(xhr.responseText) as Record<string, unknown>) : {};
      } catch {
        body = {};
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as unknown as UploadResponse);
      } else {
        if (xhr.status === 401) unauthorizedHandler?.();
        reject(new ApiError(xhr.status, body, `${file.name}: the upload failed (${xhr.status}).`));
      }
    };
    const form = new FormData();
    form.append('files', file, file.name);
    xhr.send(form);
  });
};

export function photoPageUrl(base: string, cursor: string | null, limit?: number): string {
  const params = new URLSearchParams();
  if (cursor) params.set('cursor', cursor);
  if (limit) params.set('limit', String(limit));
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}
