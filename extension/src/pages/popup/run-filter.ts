import type { JobRun, RunListQuery, RunStatus } from '@orglink/shared';

/** What the popup's history shows: all runs, or one connection's, one integration's, one status's. */
export interface RunFilter {
  connection?: string | undefined;
  integration?: string | undefined;
  status?: RunStatus | undefined;
}

export function filterQuery(filter: RunFilter, cursor?: string): RunListQuery {
  return {
    ...(filter.connection ? { connection: filter.connection } : {}),
    ...(filter.integration ? { integration: filter.integration } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

export function matchesFilter(run: JobRun, filter: RunFilter): boolean {
  return (
    (!filter.connection || run.connectionId === filter.connection) &&
    (!filter.integration || run.integrationId === filter.integration) &&
    (!filter.status || run.status === filter.status)
  );
}

const newestFirst = (a: JobRun, b: JobRun) =>
  a.queuedAt === b.queuedAt ? b.id.localeCompare(a.id) : b.queuedAt.localeCompare(a.queuedAt);

/**
 * A live run.changed folded into the shown list: updated in place, added when it is new and matches, dropped when it
 * no longer matches (a status filter of "running" loses a run that completes). Newest first, as the API lists them.
 */
export function mergeRun(runs: readonly JobRun[], run: JobRun, filter: RunFilter): JobRun[] {
  const others = runs.filter((existing) => existing.id !== run.id);
  if (!matchesFilter(run, filter)) return others;
  return [...others, run].sort(newestFirst);
}

/** Pages fetched one after another can overlap when new runs arrive meanwhile; each run is shown once. */
export function appendPage(runs: readonly JobRun[], page: readonly JobRun[]): JobRun[] {
  const known = new Set(runs.map((run) => run.id));
  return [...runs, ...page.filter((run) => !known.has(run.id))];
}
