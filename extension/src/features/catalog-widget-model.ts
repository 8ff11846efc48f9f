import type { CrmField, FieldMapping, Integration, JobRun, MappingOptions } from '@orglink/shared';
import { isRunInProgress } from '../ui/run-format.ts';

export type LinkTone = 'ok' | 'neutral' | 'error';

/** The status line's words, from the integration's link state (the Linked / Not linked / Connection inactive). */
export function describeLink(integration: Integration | null): { tone: LinkTone; icon: string; text: string } {
  if (!integration || integration.linkState === 'not-linked') {
    return { tone: 'neutral', icon: '○', text: 'Not linked' };
  }
  if (integration.linkState === 'connection-inactive') {
    return { tone: 'error', icon: '!', text: `Connection inactive (${integration.connectionName})` };
  }
  return { tone: 'ok', icon: '✓', text: `Linked to ${integration.connectionName} (${integration.target})` };
}

/** Why Run Write Job cannot be pressed now, or undefined when it can. */
export function runBlockedReason(integration: Integration, runs: JobRun[], canEdit: boolean): string | undefined {
  if (!canEdit) return 'Viewers cannot run write jobs. Ask a team admin or owner.';
  if (integration.linkState === 'connection-inactive') {
    return 'The connection is inactive: Reconnect first, then run the job.';
  }
  const active = runs.find(isRunInProgress);
  if (active) {
    return active.status === 'holding'
      ? 'A write job is waiting in Holding until its connection is active again.'
      : 'A write job is already running. It can run again once this one has finished.';
  }
  return undefined;
}

/** One editor row: a CRM field filled from a Catalog field or from a fixed value. */
export interface MappingRow {
  key: number;
  target: string;
  source: string;
  constant: string;
  useConstant: boolean;
}

let nextRowKey = 1;

export function rowFrom(mapping: FieldMapping): MappingRow {
  const useConstant = mapping.source === undefined && mapping.constant !== undefined;
  return {
    key: nextRowKey++,
    target: mapping.target,
    source: mapping.source ?? '',
    constant: mapping.constant ?? '',
    useConstant,
  };
}

export function emptyRow(): MappingRow {
  return { key: nextRowKey++, target: '', source: '', constant: '', useConstant: false };
}

/**
 * The rows the editor starts with: the saved map when it is for this table, else the server's default map; either
 * way every mandatory field has a row (pre-filled from the default map), so none can be left out.
 */
export function initialRows(saved: FieldMapping[] | undefined, options: MappingOptions): MappingRow[] {
  const start = saved && saved.length > 0 ? saved : options.defaultFieldMap;
  const rows = start.map(rowFrom);
  for (const field of options.mandatory) {
    if (rows.some((row) => row.target === field)) continue;
    const fallback = options.defaultFieldMap.find((mapping) => mapping.target === field);
    rows.push(rowFrom(fallback ?? { target: field }));
  }
  return rows;
}

export function toFieldMap(rows: MappingRow[]): FieldMapping[] {
  return rows.map((row) =>
    row.useConstant ? { target: row.target, constant: row.constant } : { target: row.target, source: row.source },
  );
}

/** Row key -> what is wrong with it, in words that say what to do; empty when the map may be saved. */
export function validateRows(rows: MappingRow[], options: MappingOptions): Map<number, string> {
  const problems = new Map<number, string>();
  const fields = new Map(options.crmFields.map((field) => [field.name, field]));
  const catalog = new Set(options.catalogFields.map((field) => field.name));
  const seen = new Set<string>();
  for (const row of rows) {
    const field = fields.get(row.target);
    if (row.target === '') problems.set(row.key, 'Choose the CRM field to fill.');
    else if (!field) problems.set(row.key, `${row.target} is not a field OrgLink can write on ${options.target}.`);
    else if (seen.has(row.target)) problems.set(row.key, `${fieldLabel(field)} is mapped twice: remove one row.`);
    else if (row.useConstant && row.constant.trim() === '') {
      problems.set(row.key, `Type the fixed value for ${fieldLabel(field)}.`);
    } else if (!row.useConstant && !catalog.has(row.source)) {
      problems.set(row.key, `Choose the Catalog field that fills ${fieldLabel(field)}.`);
    }
    seen.add(row.target);
  }
  return problems;
}

/** Mandatory fields with no row at all (a row for them cannot be removed, so this guards stale saved maps). */
export function missingMandatory(rows: MappingRow[], options: MappingOptions): string[] {
  return options.mandatory.filter((name) => !rows.some((row) => row.target === name));
}

export function fieldLabel(field: CrmField): string {
  return field.label === field.name ? field.name : `${field.label} (${field.name})`;
}

/** CRM fields whose name or label contains every word typed, best (name starts with the query) first. */
export function searchFields(fields: CrmField[], query: string, limit = 50): CrmField[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = fields.filter((field) => {
    const text = `${field.name} ${field.label}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
  const first = words[0] ?? '';
  matches.sort(
    (a, b) =>
      Number(!b.name.toLowerCase().startsWith(first)) - Number(!a.name.toLowerCase().startsWith(first)) ||
      a.label.localeCompare(b.label),
  );
  return matches.slice(0, limit);
}

/** The row a server 400 is about: the one whose CRM field the message names as a whole word. */
export function rowNamedIn(message: string, rows: MappingRow[]): number | undefined {
  return rows.find((row) => row.target !== '' && new RegExp(`\\b${escapeRegExp(row.target)}\\b`).test(message))?.key;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function newestFirst(runs: JobRun[]): JobRun[] {
  return [...runs].sort((a, b) => b.queuedAt.localeCompare(a.queuedAt));
}

function progressRank(run: JobRun): number {
  if (!isRunInProgress(run)) return 3;
  return run.status === 'running' ? 2 : run.status === 'holding' ? 1 : 0;
}

/**
 * Puts a run's newer state in the list, or adds it when it is new. Live events and the answer to Run Write Job race
 * (a short run can finish before its POST is answered), so an older state never replaces a newer one.
 */
export function mergeRun(runs: JobRun[], run: JobRun): JobRun[] {
  const existing = runs.find((candidate) => candidate.id === run.id);
  if (existing) {
    const rankDifference = progressRank(existing) - progressRank(run);
    if (rankDifference > 0 || (rankDifference === 0 && existing.counts.processed > run.counts.processed)) return runs;
  }
  const others = runs.filter((candidate) => candidate.id !== run.id);
  return newestFirst([run, ...others]);
}

/** "1 min 5 s", "12 s", or "running" for a run that has not finished. */
export function formatDuration(run: JobRun): string {
  if (!run.startedAt) return '—';
  const end = run.finishedAt ? Date.parse(run.finishedAt) : Number.NaN;
  if (Number.isNaN(end)) return 'running';
  const seconds = Math.max(0, Math.round((end - Date.parse(run.startedAt)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatRate(rate: number | null): string {
  if (rate === null) return '';
  return rate >= 10 ? `${Math.round(rate)} records/s` : `${rate.toFixed(1)} records/s`;
}
