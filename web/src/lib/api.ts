/**
 * Talking to the server: JSON over HTTP with the contract's error shape, and the control token
 * the server embeds in the page.
 */

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** The message in each language, when the server said it so. */
    readonly messages?: Record<string, string>,
  ) {
    super(message);
  }
}

const TOKEN_PLACEHOLDER = '__SOCKET_LAB_TOKEN__';

/** The control token from `<meta name="socket-lab-token">`, or null when the page has none. */
export function controlToken(): string | null {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="socket-lab-token"]');
  const value = meta?.content.trim() ?? '';
  return value && value !== TOKEN_PLACEHOLDER ? value : null;
}

async function errorOf(res: Response): Promise<ApiError> {
  let code = `HTTP_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  let messages: Record<string, string> | undefined;
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown; messages?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
    const said = body.error?.messages;
    if (typeof said === 'object' && said !== null && Object.values(said).every((v) => typeof v === 'string')) messages = said as Record<string, string>;
  } catch {
    // not JSON: keep the status text
  }
  return new ApiError(code, message, res.status, messages);
}

async function send(url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (err) {
    throw new ApiError('NETWORK', err instanceof Error ? err.message : String(err), 0);
  }
  if (!res.ok) throw await errorOf(res);
  return res;
}

function authHeaders(): Record<string, string> {
  const token = controlToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** `withToken`: send the control token too (what only the instructor's page is given, e.g. speaker notes). */
export async function getJson<T>(url: string, signal?: AbortSignal, withToken = false): Promise<T> {
  const headers = { accept: 'application/json', ...(withToken ? authHeaders() : {}) };
  const res = await send(url, { headers, ...(signal ? { signal } : {}) });
  return (await res.json()) as T;
}

export async function postBody<T>(url: string, body: BodyInit, contentType: string): Promise<T> {
  const res = await send(url, { method: 'POST', headers: { 'content-type': contentType, ...authHeaders() }, body });
  return (await res.json()) as T;
}

/** A JSON body that starts and writes nothing (no token). */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const res = await send(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as T;
}

export async function deleteResource(url: string): Promise<void> {
  await send(url, { method: 'DELETE', headers: authHeaders() });
}

/** The WebSocket URL of this page's server. */
export function socketUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/ws`;
}
