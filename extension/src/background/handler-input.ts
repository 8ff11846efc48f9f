import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { type ApiResult, invalidInput } from '../api/api-result.ts';

const MAX_ID_LENGTH = 200;

/** What a page sent, checked before any call: the value, or a message that says what to do. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

export function checkId(input: unknown, what: string): Checked<string> {
  if (typeof input !== 'string' || input.length === 0 || input.length > MAX_ID_LENGTH) {
    return { ok: false, message: `No valid ${what} id was given. Reload the page and try again.` };
  }
  return { ok: true, value: input };
}

export function checkSchema<T>(schema: TSchema, input: unknown, what: string): Checked<T> {
  if (Value.Check(schema, input)) return { ok: true, value: input as T };
  const problem = [...Value.Errors(schema, input)][0];
  const where = problem?.instancePath.replace(/^\//, '') || what;
  return { ok: false, message: `The ${what} is not valid at ${where}: ${problem?.message ?? 'unknown problem'}.` };
}

/** A message's data as an object to destructure; anything else reads as empty, so its fields fail their checks. */
export function record(input: unknown): Record<string, unknown> {
  return typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
}

export function withId<T>(
  input: unknown,
  what: string,
  call: (id: string) => Promise<ApiResult<T>>,
): Promise<ApiResult<T>> {
  const checked = checkId(input, what);
  return checked.ok ? call(checked.value) : Promise.resolve(invalidInput(checked.message));
}
