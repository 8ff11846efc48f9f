import { lineAndColumn } from '../http/parsers.ts';
import type { FieldValues } from '../model/dml.ts';
import { ApiError } from '../model/errors.ts';
import type { SfRecord } from '../model/record-store.ts';
import { coerceJson, deserializeTypeName } from '../model/values.ts';
import { schema } from '../schema/registry.ts';
import type { FieldDef, ObjectDef } from '../schema/types.ts';

/** Turning JSON bodies into field values, and stored rows into REST records with `attributes`. */

export function recordUrl(version: string, objectName: string, id: unknown): string {
  return `/services/data/v${version}/sobjects/${objectName}/${String(id)}`;
}

/** A REST record: `attributes {type,url}` first, then the fields in the order given. */
export function toApiRecord(
  object: ObjectDef,
  row: SfRecord,
  version: string,
  fields: readonly string[] = object.fields.map((field) => field.name),
): Record<string, unknown> {
  const record: Record<string, unknown> = {
    attributes: { type: object.name, url: recordUrl(version, object.name, row.Id) },
  };
  for (const name of fields) record[name] = row[name] ?? null;
  return record;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Where a field's value ends in the request text, for Jackson-style `[line:L, column:C]` positions. */
function valuePosition(raw: string, key: string, value: unknown): { line: number; column: number } {
  const match = new RegExp(`"${escapeRegExp(key)}"\\s*:\\s*`).exec(raw);
  if (!match) return { line: 1, column: 1 };
  const start = match.index + match[0].length;
  const serialised = typeof value === 'object' ? '' : JSON.stringify(value);
  const end = serialised && raw.startsWith(serialised, start) ? start + serialised.length : start + 1;
  return lineAndColumn(raw, end);
}

function valueText(value: unknown): string {
  if (Array.isArray(value)) return '[';
  if (value !== null && typeof value === 'object') return '{';
  return String(value);
}

/**
 * The field values of one JSON record. Unknown fields fail the whole request with INVALID_FIELD and values the
 * field's type cannot hold with JSON_PARSER_ERROR, as Salesforce's deserializer does before any record is saved.
 * `attributes` is metadata; `Id` and `id` are returned apart for the caller to judge.
 */
export function parseRecordBody(
  object: ObjectDef,
  body: unknown,
  raw: string,
): { values: FieldValues; id: unknown; type: string | undefined } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of ${object.name} from ${Array.isArray(body) ? 'START_ARRAY' : 'VALUE_STRING'} value ${valueText(body)} or request may be missing a required field at [line:1, column:1]`,
    );
  }
  const values: FieldValues = new Map();
  let id: unknown;
  let type: string | undefined;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === 'attributes') {
      const attributes = value as { type?: unknown } | null;
      if (attributes && typeof attributes.type === 'string') type = attributes.type;
      continue;
    }
    const field: FieldDef | undefined = schema.field(object, key);
    if (!field) throw new ApiError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${object.name}`);
    if (field.name === 'Id') {
      id = value;
      continue;
    }
    const coerced = coerceJson(field, value);
    if (!coerced.ok) {
      const { line, column } = valuePosition(raw, key, value);
      throw new ApiError(
        400,
        'JSON_PARSER_ERROR',
        `Cannot deserialize instance of ${deserializeTypeName(field)} from ${coerced.jsonToken} value ${valueText(value)} or request may be missing a required field at [line:${line}, column:${column}]`,
      );
    }
    values.set(field.name, coerced.value);
  }
  return { values, id, type };
}
