import { zoneOffsetMinutes } from '../../common/clock.ts';

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** Salesforce's datetime wire format: `2024-01-31T10:00:00.000+0000`, always UTC. */
export function formatDateTime(ms: number): string {
  const date = new Date(ms);
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.` +
    `${pad(date.getUTCMilliseconds(), 3)}+0000`
  );
}

export function formatDate(ms: number): string {
  return formatDateTime(ms).slice(0, 10);
}

/**
 * Parses the datetime forms Salesforce accepts (`2024-01-31T10:00:00Z`, `…00.000+0000`, `…+01:00`, a bare date as
 * midnight UTC) into epoch ms, or undefined.
 */
export function parseDateTime(text: string): number | undefined {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0', zone = 'Z'] = match;
  const ms = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    Number(fraction.padEnd(3, '0')),
  );
  if (Number.isNaN(ms) || new Date(ms).getUTCDate() !== Number(day)) return undefined;
  return ms - zoneOffsetMinutes(zone) * 60_000;
}

/** A valid `YYYY-MM-DD` calendar date, or undefined. */
export function parseDate(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (new Date(ms).getUTCDate() !== Number(match[3])) return undefined;
  return text;
}
