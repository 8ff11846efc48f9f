import type { FieldDef, FieldType } from '../schema/types.ts';
import { formatDateTime, parseDate, parseDateTime } from './clock.ts';
import { type SaveError, saveError } from './errors.ts';
import { canonicalId } from './ids.ts';

/**
 * Turning client values into stored values. REST sends JSON, Bulk sends CSV text; both end up as the stored
 * representation: strings for text, ids, dates (`YYYY-MM-DD`) and datetimes (`…T…000+0000`), numbers, booleans, null.
 */

export type Coerced = { ok: true; value: unknown } | { ok: false; jsonToken?: string; error?: SaveError };

const DESERIALIZE_TYPE: Record<FieldType, string> = {
  id: 'id',
  reference: 'id',
  string: 'string',
  textarea: 'string',
  email: 'string',
  phone: 'string',
  url: 'string',
  picklist: 'string',
  boolean: 'boolean',
  int: 'int',
  double: 'double',
  currency: 'double',
  percent: 'double',
  date: 'date',
  datetime: 'datetime',
};

export function deserializeTypeName(field: FieldDef): string {
  return DESERIALIZE_TYPE[field.type];
}

/** Jackson's token name for a JSON value, as Salesforce quotes it in JSON_PARSER_ERROR messages. */
export function jsonToken(value: unknown): string {
  if (value === null) return 'VALUE_NULL';
  if (Array.isArray(value)) return 'START_ARRAY';
  if (typeof value === 'object') return 'START_OBJECT';
  if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
  if (typeof value === 'number') return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  return 'VALUE_STRING';
}

const TEXT_TYPES = new Set<FieldType>(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'id', 'reference']);

function isNumeric(text: string): boolean {
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text.trim());
}

/** A JSON value for `field`, or the token that makes Salesforce's deserializer fail. */
export function coerceJson(field: FieldDef, value: unknown): Coerced {
  if (value === null) return { ok: true, value: field.type === 'boolean' ? false : null };
  const failed: Coerced = { ok: false, jsonToken: jsonToken(value) };
  if (typeof value === 'object') return failed;
  if (TEXT_TYPES.has(field.type)) return { ok: true, value: String(value) };
  switch (field.type) {
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (typeof value === 'string' && /^(true|false)$/i.test(value))
        return { ok: true, value: value.toLowerCase() === 'true' };
      return failed;
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return { ok: true, value };
      if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) return { ok: true, value: Number(value) };
      return failed;
    case 'double':
    case 'currency':
    case 'percent':
      if (typeof value === 'number') return { ok: true, value };
      if (typeof value === 'string' && isNumeric(value)) return { ok: true, value: Number(value) };
      return failed;
    case 'date': {
      const parsed = typeof value === 'string' ? parseDate(value) : undefined;
      return parsed ? { ok: true, value: parsed } : failed;
    }
    case 'datetime': {
      const parsed = typeof value === 'string' ? parseDateTime(value) : undefined;
      return parsed === undefined ? failed : { ok: true, value: formatDateTime(parsed) };
    }
    default:
      return failed;
  }
}

/** Bulk CSV: `#N/A` is null; anything else must read as the field's type. Empty cells never reach here. */
export function coerceCsv(field: FieldDef, raw: string): Coerced {
  if (raw === '#N/A') return { ok: true, value: field.type === 'boolean' ? false : null };
  const wrongType: Coerced = {
    ok: false,
    error: saveError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${raw}`, [
      field.name,
    ]),
  };
  if (TEXT_TYPES.has(field.type)) return { ok: true, value: raw };
  switch (field.type) {
    case 'boolean':
      if (/^(true|1)$/i.test(raw)) return { ok: true, value: true };
      if (/^(false|0)$/i.test(raw)) return { ok: true, value: false };
      return wrongType;
    case 'int':
      return /^[+-]?\d+$/.test(raw.trim()) ? { ok: true, value: Number(raw) } : wrongType;
    case 'double':
    case 'currency':
    case 'percent':
      return isNumeric(raw) ? { ok: true, value: Number(raw) } : wrongType;
    case 'date': {
      const parsed = parseDate(raw) ?? (parseDateTime(raw) === undefined ? undefined : raw.slice(0, 10));
      return parsed ? { ok: true, value: parsed } : wrongType;
    }
    case 'datetime': {
      const parsed = parseDateTime(raw);
      return parsed === undefined ? wrongType : { ok: true, value: formatDateTime(parsed) };
    }
    default:
      return wrongType;
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks a coerced, non-null value against the field's limits. References are checked by the DML layer. */
export function checkValue(field: FieldDef, value: unknown): SaveError | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' && field.length && TEXT_TYPES.has(field.type) && field.type !== 'reference') {
    if (value.length > field.length) {
      return saveError(
        'STRING_TOO_LONG',
        `${field.label}: data value too large: ${value} (max length=${field.length})`,
        [field.name],
      );
    }
  }
  if (field.type === 'email' && typeof value === 'string' && value !== '' && !EMAIL.test(value)) {
    return saveError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${value}`, [field.name]);
  }
  if (field.type === 'picklist' && field.restrictedPicklist && typeof value === 'string') {
    if (!field.picklistValues?.some((entry) => entry.value === value)) {
      return saveError(
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        `${field.label}: bad value for restricted picklist field: ${value}`,
        [field.name],
      );
    }
  }
  if (field.type === 'int' && typeof value === 'number' && Math.abs(value) >= 10 ** (field.digits ?? 9)) {
    return saveError(
      'NUMBER_OUTSIDE_VALID_RANGE',
      `${field.label}: value outside of valid range on numeric field: ${value}`,
      [field.name],
    );
  }
  if ((field.type === 'currency' || field.type === 'double' || field.type === 'percent') && typeof value === 'number') {
    const integerDigits = (field.precision ?? 18) - (field.scale ?? 0);
    if (Math.abs(value) >= 10 ** integerDigits) {
      return saveError(
        'NUMBER_OUTSIDE_VALID_RANGE',
        `${field.label}: value outside of valid range on numeric field: ${value}`,
        [field.name],
      );
    }
  }
  if (field.type === 'reference' && typeof value === 'string' && value !== '' && !canonicalId(value)) {
    return saveError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${value}`, [field.name]);
  }
  return undefined;
}

/** Stored values rounded as the field's scale rounds them. */
export function normalizeStored(field: FieldDef, value: unknown): unknown {
  if (typeof value === 'number' && (field.type === 'currency' || field.type === 'double' || field.type === 'percent')) {
    const factor = 10 ** (field.scale ?? 0);
    return Math.round(value * factor) / factor;
  }
  if (field.type === 'reference' && typeof value === 'string')
    return value === '' ? null : (canonicalId(value) ?? value);
  if (typeof value === 'string' && value === '' && field.type !== 'boolean') return null;
  return value;
}
