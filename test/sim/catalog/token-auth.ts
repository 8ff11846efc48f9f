import type { FastifyReply } from 'fastify';

/**
 * Reads the API key the way Rails' `authenticate_with_http_token` does, which is what answers
 * `Authorization: Token token="..."` on Catalog: the scheme is `Token` or `Bearer` (case-sensitive), and the first
 * parameter's value is the token, so `Token token="k"`, `Token token=k`, `Token k` and `Bearer k` all carry `k`.
 */
export function tokenFromAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const scheme = /^(Token|Bearer)\s+/.exec(header);
  if (!scheme) return undefined;
  const params = header
    .slice(scheme[0].length)
    .split(/\s*(?:,|;|\t)\s*/)
    .filter((param) => param !== '');
  const first = params[0];
  if (first === undefined) return undefined;
  const withKey = first.startsWith('token=') ? first : `token=${first}`;
  const value = withKey.slice(withKey.indexOf('=') + 1).replace(/^"|"$/g, '');
  return value === '' ? undefined : value;
}

/** Rails' `request_http_token_authentication` answer: 401, a Token challenge and a plain-text body. */
export function replyAccessDenied(reply: FastifyReply) {
  return reply
    .code(401)
    .header('www-authenticate', 'Token realm="Application"')
    .type('text/plain; charset=utf-8')
    .send('HTTP Token: Access denied.\n');
}
