/**
 * The simulator's own request and response shapes. Every origin handler works on these rather than on Fastify's
 * objects, so `$batch` can run its inner requests through exactly the same code as top-level ones.
 */
export interface SimRequest {
  method: string;
  /** Path as sent, still percent-encoded (OData keys carry quotes and parentheses). */
  path: string;
  query: URLSearchParams;
  /** The query string as sent (without `?`), for links that must repeat the client's options unchanged. */
  rawQuery: string;
  /** Lower-case header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
  /** Base URL of the receiving origin as the client reached it (loopback http or https host name). */
  base: string;
  originKey: string;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body?: string;
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string | string[]> = {}) {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  } satisfies SimResponse;
}

export function htmlResponse(status: number, html: string, headers: Record<string, string | string[]> = {}) {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
    body: html,
  } satisfies SimResponse;
}

export function redirectResponse(location: string, headers: Record<string, string | string[]> = {}, status = 302) {
  return { status, headers: { location, ...headers }, body: '' } satisfies SimResponse;
}

export function parseForm(body: string): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body)) form[name] = value;
  return form;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    cookies[part.slice(0, index).trim()] = decodeURIComponent(part.slice(index + 1).trim());
  }
  return cookies;
}

/** A session cookie that survives a cross-site form post back: `SameSite=None; Secure` over https, `Lax` over http. */
export function sessionCookie(name: string, value: string, base: string, path = '/'): string {
  const secure = base.startsWith('https:');
  return `${name}=${encodeURIComponent(value)}; Path=${path}; HttpOnly; ${secure ? 'Secure; SameSite=None' : 'SameSite=Lax'}`;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export function headerValue(request: SimRequest, name: string): string | undefined {
  return request.headers[name.toLowerCase()];
}

export function isLoopbackRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost');
  } catch {
    return false;
  }
}
