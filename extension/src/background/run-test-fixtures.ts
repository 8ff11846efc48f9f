import type { JobRun } from '@orglink/shared';
import { sampleConnection } from '../api/test-fixtures.ts';

/** A run shaped exactly as the contract says, for the run handlers' and the popup's tests. */
export function sampleRun(overrides: Partial<JobRun> = {}): JobRun {
  return {
    id: 'run-1',
    jobId: 'job-1',
    kind: 'write',
    title: 'acme.catalog.instructure.com',
    connectionId: sampleConnection().id,
    connectionName: 'Acme Production',
    integrationId: 'int-1',
    status: 'running',
    trigger: 'manual',
    counts: { total: 100, processed: 40, created: 30, updated: 10, unchanged: 0, deleted: 0, failed: 0 },
    apiCalls: {},
    rate: 12.5,
    startedBy: 'Ada Admin',
    queuedAt: '2030-01-01T10:00:00.000Z',
    startedAt: '2030-01-01T10:00:01.000Z',
    finishedAt: null,
    errorCode: null,
    errorMessage: null,
    ...overrides,
  };
}
