import type { FastifyReply } from 'fastify';

/** Salesforce writes this exact content type on REST JSON, errors included (jsforce only parses `application/json`). */
export const JSON_TYPE = 'application/json;charset=UTF-8';
export const HTML_TYPE = 'text/html;charset=UTF-8';
export const CSV_TYPE = 'text/csv';
export const XML_TYPE = 'text/xml;charset=UTF-8';

export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type(JSON_TYPE).send(JSON.stringify(body));
}

export function sendHtml(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .code(status)
    .type(HTML_TYPE)
    .header('cache-control', 'no-cache,must-revalidate,max-age=0,no-store,private')
    .send(html);
}

/** OAuth endpoint errors: `{"error","error_description"}` with HTTP 400, as the token endpoint answers. */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;

  constructor(error: string, description: string, status = 400) {
    super(description);
    this.error = error;
    this.status = status;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) =>
    char === '&' ? '&amp;' : char === '<' ? '&lt;' : char === '>' ? '&gt;' : char === '"' ? '&quot;' : '&apos;',
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
