import type { RunStatus } from '@orglink/shared';
import { describe, expect, it } from 'vitest';
import { sampleRun } from '../../features/catalog-widget-fixtures.ts';
import { newerRun } from './use-live-run.ts';

const at = (status: RunStatus, processed: number) =>
  sampleRun({ status, counts: { ...sampleRun().counts, processed } });

describe('newerRun', () => {
  it('moves forward with progress and with the run stage', () => {
    expect(newerRun(at('queued', 0), at('running', 0)).status).toBe('running');
    expect(newerRun(at('running', 10), at('running', 200)).counts.processed).toBe(200);
    expect(newerRun(at('running', 200), at('completed', 200)).status).toBe('completed');
  });

  it('ignores a late event that would show an older state', () => {
    expect(newerRun(at('completed', 2500), at('running', 2000)).status).toBe('completed');
    expect(newerRun(at('running', 2000), at('running', 1000)).counts.processed).toBe(2000);
  });
});
