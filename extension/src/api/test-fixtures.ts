import type { Connection, Job, Me } from '@orglink/shared';

/** Answers shaped exactly as the contract says, for the extension's unit tests. */
export function sampleConnection(overrides: Partial<Connection> = {}): Connection {
  return {
    id: 'c0ffee00-0000-4000-8000-000000000001',
    name: 'Acme Production',
    description: '',
    kind: 'salesforce',
    environment: 'production',
    loginHost: null,
    orgId: '00D5e000000Acme01AAA',
    orgName: 'Acme',
    instanceUrl: 'https://acme.my.salesforce.com',
    status: 'active',
    statusReason: null,
    autoRunDuplicateCheck: false,
    linkedProductionId: null,
    createdBy: 'Ada Admin',
    createdAt: '2026-11-20T10:00:00.000Z',
    dpaAcceptedBy: 'Ada Admin',
    dpaAcceptedAt: '2026-11-20T10:01:00.000Z',
    ...overrides,
  };
}

export function sampleJob(overrides: Partial<Job> = {}): Job {
  return {
    id: 'job-1',
    connectionId: sampleConnection().id,
    kind: 'write',
    name: 'Nightly Catalog sync',
    schedule: '0 0 * * *',
    state: 'active',
    stateReason: null,
    createdAt: '2026-11-20T11:00:00.000Z',
    ...overrides,
  };
}

export const sampleMe: Me = {
  user: { id: 'user-1', displayName: 'Ada Admin' },
  team: { id: 'team-1', name: 'My team' },
  role: 'owner',
};

export const SAMPLE_INVITE = 'olinv_abcdefghijklmnopqrstuvwxyz012345';
