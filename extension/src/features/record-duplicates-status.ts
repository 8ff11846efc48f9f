import type { DcRecordMatches } from '@orglink/shared';

export type RecordMatch = DcRecordMatches['matches'][number];

/**
 * The background's answer for the record a Salesforce page shows: its open matches from the latest finished
 * Duplicate Check of the page's connection. Anything that is not `matches` leaves the badge as it was.
 */
export type RecordDuplicatesStatus =
  | { state: 'none' }
  | { state: 'unavailable'; message: string }
  | { state: 'matches'; runId: string | null; finishedAt: string | null; matches: RecordMatch[] };

/** Salesforce record ids: 15 characters (case-sensitive) or 18 (with the case-safe suffix). */
const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export function isSalesforceId(value: unknown): value is string {
  return typeof value === 'string' && SALESFORCE_ID.test(value);
}

/** Lightning's record page: /lightning/r/<Object>/<Id>/view (also /lightning/r/<Id>/view, without the object). */
const RECORD_PATH = /^\/lightning\/r\/(?:([A-Za-z][A-Za-z0-9_]*)\/)?([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)\/view\/?$/;

export interface RecordPage {
  object: string | undefined;
  recordId: string;
}

/** The record a Lightning URL shows, or undefined on any other page. */
export function recordPageOf(url: URL): RecordPage | undefined {
  const match = RECORD_PATH.exec(url.pathname);
  if (!match?.[2]) return undefined;
  return { object: match[1], recordId: match[2] };
}

/** A link to another record of the same org, on the host the admin is on (so the session cookie applies). */
export function recordPageUrl(current: URL, object: string, recordId: string): string {
  const path = isSalesforceId(recordId)
    ? `/lightning/r/${encodeURIComponent(object)}/${recordId}/view`
    : '/lightning/page/home';
  return new URL(path, current.origin).href;
}
