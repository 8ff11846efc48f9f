import { describe, expect, it } from 'vitest';
import { sampleRun } from '../../background/run-test-fixtures.ts';
import { appendPage, filterQuery, matchesFilter, mergeRun } from './run-filter.ts';

describe('run filters in the popup', () => {
  it('sends only the filters that are set', () => {
    expect(filterQuery({ connection: 'c1', status: undefined, integration: '' })).toEqual({ connection: 'c1' });
    expect(filterQuery({ status: 'failed' }, 'cur')).toEqual({ status: 'failed', cursor: 'cur' });
  });

  it('matches runs by connection, integration and status', () => {
    const run = sampleRun({ connectionId: 'c1', integrationId: 'i1', status: 'failed' });
    expect(matchesFilter(run, {})).toBe(true);
    expect(matchesFilter(run, { connection: 'c1', integration: 'i1', status: 'failed' })).toBe(true);
    expect(matchesFilter(run, { connection: 'c2' })).toBe(false);
    expect(matchesFilter(run, { integration: 'i2' })).toBe(false);
    expect(matchesFilter(run, { status: 'running' })).toBe(false);
  });

  it('folds a live change in: updates in place, adds new runs newest first, drops runs that leave the filter', () => {
    const older = sampleRun({ id: 'old', queuedAt: '2030-01-01T09:00:00.000Z' });
    const current = sampleRun({ id: 'cur', queuedAt: '2030-01-01T10:00:00.000Z' });
    let runs = mergeRun([older], current, {});
    expect(runs.map((run) => run.id)).toEqual(['cur', 'old']);
    runs = mergeRun(runs, { ...current, counts: { ...current.counts, processed: 90 } }, {});
    expect(runs).toHaveLength(2);
    expect(runs[0]?.counts.processed).toBe(90);
    runs = mergeRun(runs, { ...current, status: 'completed' }, { status: 'running' });
    expect(runs.map((run) => run.id)).toEqual(['old']);
    expect(mergeRun(runs, sampleRun({ id: 'elsewhere', connectionId: 'c9' }), { connection: 'c1' })).toHaveLength(1);
  });

  it('shows each run once when pages overlap', () => {
    const a = sampleRun({ id: 'a' });
    const b = sampleRun({ id: 'b' });
    expect(appendPage([a], [a, b]).map((run) => run.id)).toEqual(['a', 'b']);
  });
});
