import type { FastifyInstance } from 'fastify';

export type FormValue = string | string[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

/**
 * Parses `application/x-www-form-urlencoded` the way Rails does, brackets included:
 * `custom_fields[phone]=1&tags[]=a&tags[]=b` → `{ custom_fields: { phone: '1' }, tags: ['a', 'b'] }`.
 */
export function parseForm(body: string): FormObject {
  const result: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const match = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
    const path = match
      ? [match[1] ?? rawKey, ...[...(match[2] ?? '').matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '')]
      : [rawKey];
    assign(result, path, value);
  }
  return result;
}

function assign(target: FormObject, path: string[], value: string) {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  if (rest.length === 1 && rest[0] === '') {
    const existing = target[head];
    target[head] = Array.isArray(existing) ? [...existing, value] : [value];
    return;
  }
  const existing = target[head];
  const child: FormObject = existing && typeof existing === 'object' && !Array.isArray(existing) ? existing : {};
  target[head] = child;
  assign(child, rest, value);
}

export function registerFormParser(app: FastifyInstance) {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, parseForm(body as string));
  });
}
