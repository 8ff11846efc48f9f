import type { FastifyReply, FastifyRequest } from 'fastify';

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    if (part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

/**
 * Sets a host-only session cookie the way Salesforce sets `sid`: HttpOnly, and over HTTPS also Secure with
 * SameSite=None (plain-HTTP loopback clients would drop a Secure cookie).
 */
export function setSessionCookie(reply: FastifyReply, secure: boolean, name: string, value: string): void {
  const attributes = ['Path=/', 'HttpOnly', ...(secure ? ['Secure', 'SameSite=None'] : ['SameSite=Lax'])];
  reply.header('set-cookie', `${name}=${encodeURIComponent(value)}; ${attributes.join('; ')}`);
}

export function clearCookie(reply: FastifyReply, name: string): void {
  reply.header('set-cookie', `${name}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`);
}
