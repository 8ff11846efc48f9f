import {
  type DcFieldScore,
  type DcGroup,
  type DcRunSummary,
  MATCH_METHOD_LABELS,
  type MatchMethod,
  type Role,
} from '@orglink/shared';
import { formatCount } from '../../ui/run-format.ts';

/** Every pair a naive comparison would score: n(n-1)/2. */
export function possiblePairs(records: number): number {
  return records < 2 ? 0 : (records * (records - 1)) / 2;
}

/** "5,400 of 719,400 possible (0.75%)": what blocking saved, said next to what it scored. */
export function describePairsScored(summary: Pick<DcRunSummary, 'pairsScored' | 'recordsRead'>): string {
  const possible = possiblePairs(summary.recordsRead);
  const base = `${formatCount(summary.pairsScored)} of ${formatCount(possible)} possible`;
  if (possible === 0) return base;
  const share = (summary.pairsScored / possible) * 100;
  return `${base} (${share < 0.01 && share > 0 ? '<0.01' : share.toFixed(share < 10 ? 2 : 1)}%)`;
}

/** Scores are 0-100; one decimal is as precise as a reviewer reads them. */
export function formatScore(score: number): string {
  const rounded = Math.round(score * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}%`;
}

export function methodLabel(method: string): string {
  return method in MATCH_METHOD_LABELS ? MATCH_METHOD_LABELS[method as MatchMethod] : method;
}

/** A blank side means the field was not compared: the reviewer reads that rather than a 0. */
export function describeFieldScore(field: DcFieldScore): string {
  return field.score === null ? 'not compared' : formatScore(field.score);
}

/**
 * The rows of a group's side-by-side table: the fields its pairs compared, in the scenario's order, then any other
 * value the records carry. Lead-Contact pairs name the Contact field too, which the Contact column reads.
 */
export function comparedFields(group: DcGroup): string[] {
  const fields: string[] = [];
  const add = (name: string) => {
    if (!fields.includes(name)) fields.push(name);
  };
  for (const pair of group.pairs) for (const score of pair.fields) add(score.field);
  for (const record of group.records) for (const name of Object.keys(record.values)) add(name);
  return fields;
}

/** A record's value for a row: Lead-Contact compares a Lead field with a Contact field of another name. */
export function valueFor(group: DcGroup, recordIndex: number, field: string): string | null {
  const record = group.records[recordIndex];
  if (!record) return null;
  if (field in record.values) return record.values[field] ?? null;
  for (const pair of group.pairs) {
    const contactField = pair.fields.find((score) => score.field === field)?.contactField;
    if (contactField && contactField in record.values) return record.values[contactField] ?? null;
  }
  return null;
}

export function recordName(group: DcGroup, recordId: string): string {
  const record = group.records.find((candidate) => candidate.id === recordId);
  return record ? record.name || record.id : recordId;
}

export function dismissDeniedReason(role: Role): string | undefined {
  return role === 'viewer'
    ? 'Viewers can review duplicates but not dismiss them; ask a team owner or admin.'
    : undefined;
}

/** The run id a results page was opened for: duplicates.html?run=<id>. */
export function runIdFromSearch(search: string): string | undefined {
  const id = new URLSearchParams(search).get('run')?.trim();
  return id && id.length <= 200 ? id : undefined;
}

export function duplicatesPageUrl(runId: string): `/duplicates.html?run=${string}` {
  return `/duplicates.html?run=${encodeURIComponent(runId)}`;
}
