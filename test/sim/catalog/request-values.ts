import { zoneOffsetMinutes } from '../common/clock.ts';
import { CatalogRequestError } from './account.ts';

/** Rails' boolean cast for query and form values: true/1/t/on and false/0/f/off; anything else is absent. */
export function booleanParam(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (['true', '1', 't', 'on', 'yes'].includes(text)) return true;
  if (['false', '0', 'f', 'off', 'no'].includes(text)) return false;
  return undefined;
}

export function integerParam(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A filter timestamp. The docs suggest `YYYY-MM-DDTHH:MM:SSZ` and say the system time zone is UTC, so values
 * without a zone are UTC; fractions (as in the users' own updated_at) and offsets are accepted too.
 * Returns epoch ms, undefined when absent, and throws a 400 for anything unparseable.
 */
export function timestampParam(name: string, value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const match = typeof value === 'string' ? TIMESTAMP.exec(value.trim()) : null;
  if (!match) throw new CatalogRequestError(400, `${name} must be a timestamp like 2018-01-01T00:00:00Z`);
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const inRange =
    Number(month) >= 1 &&
    Number(month) <= 12 &&
    Number(day) >= 1 &&
    Number(day) <= 31 &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second) <= 59;
  if (!inRange) throw new CatalogRequestError(400, `${name} must be a timestamp like 2018-01-01T00:00:00Z`);
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const epoch = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    millis,
  );
  return epoch - zoneOffsetMinutes(zone) * 60_000;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
