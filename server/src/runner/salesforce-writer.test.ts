import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import type { SalesforceClient } from '../crm/salesforce/salesforce-client.ts';
import { PendingWrites } from './pending-writes.ts';
import { encodeCsv } from './record-prep.ts';
import type { RecordOutcome, RunProgress } from './run-progress.ts';
import { BULK_THRESHOLD, SalesforceWriter } from './salesforce-writer.ts';
import type { WorkerPool } from './worker-pool.ts';
import { MAX_RECORD_ATTEMPTS, type WriteItem } from './write-types.ts';

vi.mock('./retry.ts', async (original) => ({
  ...(await original<typeof import('./retry.ts')>()),
  sleep: async () => {},
}));

/** A Salesforce whose Bulk jobs complete without a result row for any record (as a job with lost rows would). */
function silentBulkSalesforce() {
  const jobsCreated: string[] = [];
  const request = async ({ method, url }: { method: string; url: string }) => {
    if (method === 'POST' && url.endsWith('/jobs/ingest')) {
      jobsCreated.push(url);
      return { id: `750${jobsCreated.length}` };
    }
    if (url.endsWith('Results')) return [];
    if (method === 'GET' && url.includes('/jobs/ingest/')) return { state: 'JobComplete' };
    return {};
  };
  const client = { call: (work: (connection: unknown) => Promise<unknown>) => work({ request }) };
  return { client: client as unknown as SalesforceClient, jobsCreated };
}

function writerOn(client: SalesforceClient, matchKey: 'external-id' | 'email') {
  const recorded: RecordOutcome[] = [];
  const progress = {
    record: (outcomes: readonly RecordOutcome[]) => recorded.push(...outcomes),
    checkpoint: () => {},
    countCall: () => {},
    abortRequested: () => false,
  } as unknown as RunProgress;
  const pool = { csv: async (task: Parameters<typeof encodeCsv>[0]) => encodeCsv(task) } as unknown as WorkerPool;
  const writer = new SalesforceWriter(client, {
    progress,
    pool,
    target: 'Contact',
    matchKey,
    externalIdField: matchKey === 'email' ? null : 'LMS_User_Id__c',
    checkAbort: () => {},
  });
  return { writer, recorded };
}

function pendingOf(items: WriteItem[], writtenKeyField: string | null) {
  const pending = new PendingWrites(new Database(':memory:'), 'run_1');
  pending.add(items, writtenKeyField);
  return pending;
}

describe('SalesforceWriter', () => {
  it('stops resending Bulk records Salesforce never reports on and records them as per-record errors', async () => {
    const { client, jobsCreated } = silentBulkSalesforce();
    const { writer, recorded } = writerOn(client, 'external-id');
    const items = bulkItems(BULK_THRESHOLD + 1);

    await writer.write(pendingOf(items, 'LMS_User_Id__c'));

    expect(jobsCreated).toHaveLength(MAX_RECORD_ATTEMPTS);
    expect(recorded).toHaveLength(items.length);
    expect(recorded[0]).toMatchObject({ action: 'failed', errorCode: 'NO_RESULT' });
    expect(recorded[0]?.message).toMatch(/no result for this record after 6 attempts; the next run writes it again/);
  });

  it('writes again only the Bulk rows that failed transiently, and records every other row once', async () => {
    const total = BULK_THRESHOLD + 5;
    const collections: unknown[] = [];
    const request = async ({ method, url, body }: { method: string; url: string; body?: string }) => {
      if (method === 'POST' && url.endsWith('/jobs/ingest')) return { id: '7501' };
      if (method === 'GET' && url.endsWith('/successfulResults')) {
        return successRows(Array.from({ length: total }, (_, index) => index).filter((index) => index !== 5));
      }
      if (method === 'GET' && url.endsWith('/failedResults')) {
        return 'sf__Id,sf__Error,LastName,LMS_User_Id__c\n,UNABLE_TO_LOCK_ROW:unable to obtain exclusive access:--,User5,5\n';
      }
      if (method === 'GET' && url.includes('/jobs/ingest/')) return { state: 'JobComplete' };
      if (method === 'PATCH' && url.includes('/composite/sobjects/Contact/LMS_User_Id__c')) {
        const records = (JSON.parse(body ?? '{}') as { records: unknown[] }).records;
        collections.push(...records);
        return records.map(() => ({ id: '0035', success: true, created: true }));
      }
      return {};
    };
    const client = { call: (work: (connection: unknown) => Promise<unknown>) => work({ request }) };
    const { writer, recorded } = writerOn(client as unknown as SalesforceClient, 'external-id');
    const items = bulkItems(total);

    await writer.write(pendingOf(items, 'LMS_User_Id__c'));

    expect(collections).toEqual([{ attributes: { type: 'Contact' }, LastName: 'User5', LMS_User_Id__c: '5' }]);
    expect(recorded).toHaveLength(total);
    expect(new Set(recorded.map((outcome) => outcome.key)).size).toBe(total);
    expect(recorded.every((outcome) => outcome.action === 'created')).toBe(true);
    expect(recorded.find((outcome) => outcome.key === '5')?.targetId).toBe('0035');
  });

  it('does not send creates again when the connection drops: their outcome is unknown until the next run', async () => {
    const creates: unknown[] = [];
    const request = async ({ method, url }: { method: string; url: string }) => {
      if (method === 'GET' && url.includes('/query?')) return { records: [] };
      if (method === 'POST' && url.endsWith('/composite/sobjects')) {
        creates.push(url);
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
      }
      throw new Error(`unexpected ${method} ${url}`);
    };
    const client = { call: (work: (connection: unknown) => Promise<unknown>) => work({ request }) };
    const { writer, recorded } = writerOn(client as unknown as SalesforceClient, 'email');
    const items: WriteItem[] = ['a@example.org', 'b@example.org'].map((email, index) => ({
      key: String(index),
      values: { LastName: `User${index}`, Email: email },
      hash: 'h',
      known: false,
      targetId: null,
    }));

    await writer.write(pendingOf(items, null));

    expect(creates).toHaveLength(1);
    expect(recorded.map((outcome) => [outcome.key, outcome.action, outcome.errorCode])).toEqual([
      ['0', 'failed', 'OUTCOME_UNKNOWN'],
      ['1', 'failed', 'OUTCOME_UNKNOWN'],
    ]);
    expect(recorded[0]?.message).toMatch(/the next run checks it by e-mail/);
  });
});

/** A Salesforce answering from `respond`, with every call it was sent (method and path) kept in order. */
function scriptedSalesforce(respond: (method: string, url: string) => unknown) {
  const calls: string[] = [];
  const request = async ({ method, url }: { method: string; url: string }) => {
    calls.push(`${method} ${url.replace(/^.*\/jobs\/ingest/, '/jobs/ingest')}`);
    return respond(method, url);
  };
  const client = { call: (work: (connection: unknown) => Promise<unknown>) => work({ request }) };
  return { client: client as unknown as SalesforceClient, calls };
}

function bulkItems(count: number): WriteItem[] {
  return Array.from({ length: count }, (_, index) => ({
    key: String(index),
    values: { LastName: `User${index}`, LMS_User_Id__c: String(index) },
    hash: 'h',
    known: false,
    targetId: null,
  }));
}

const successRows = (indexes: number[]) =>
  `sf__Id,sf__Created,LastName,LMS_User_Id__c\n${indexes.map((index) => `003${index},true,User${index},${index}`).join('\n')}\n`;

describe('SalesforceWriter.recover, a Bulk job a crash left in flight', () => {
  it('aborts a job still Open (upload unfinished) and leaves its records pending, to be written in a new job', async () => {
    const { client, calls } = scriptedSalesforce((method, url) => {
      if (method === 'GET' && url.endsWith('/jobs/ingest/750A')) return { state: 'Open' };
      if (method === 'PATCH' && url.endsWith('/jobs/ingest/750A')) return { state: 'Aborted' };
      throw new Error(`unexpected ${method} ${url}`);
    });
    const { writer, recorded } = writerOn(client, 'external-id');
    const pending = pendingOf(bulkItems(3), 'LMS_User_Id__c');

    await writer.recover({ kind: 'bulk', bulkJobId: '750A' }, pending);

    expect(calls).toEqual(['GET /jobs/ingest/750A', 'PATCH /jobs/ingest/750A']);
    expect(recorded).toEqual([]);
    expect(pending.size).toBe(3);
  });

  it('leaves rows that failed transiently pending and skips rows an earlier attempt already recorded', async () => {
    const { client } = scriptedSalesforce((method, url) => {
      if (url.endsWith('/successfulResults')) return successRows([0, 1, 2, 3]);
      if (url.endsWith('/failedResults')) {
        return 'sf__Id,sf__Error,LastName,LMS_User_Id__c\n,UNABLE_TO_LOCK_ROW:unable to obtain exclusive access:--,User4,4\n';
      }
      if (method === 'GET') return { state: 'JobComplete', numberRecordsProcessed: 5 };
      throw new Error(`unexpected ${method} ${url}`);
    });
    const { writer, recorded } = writerOn(client, 'external-id');
    // Records 0 and 1 were recorded before the crash, so the resumed run's pending set lacks them.
    const pending = pendingOf(bulkItems(5).slice(2), 'LMS_User_Id__c');

    await writer.recover({ kind: 'bulk', bulkJobId: '750B' }, pending);

    expect(recorded.map((outcome) => [outcome.key, outcome.action])).toEqual([
      ['2', 'created'],
      ['3', 'created'],
    ]);
    expect([...pending.chunks(10)].flat().map((item) => item.key)).toEqual(['4']);
  });

  it('keeps the unreported records of a job that failed part-way pending, even when its reported rows were recorded', async () => {
    const { client } = scriptedSalesforce((method, url) => {
      if (url.endsWith('/successfulResults')) return successRows([0, 1]);
      if (url.endsWith('/failedResults')) return 'sf__Id,sf__Error,LastName,LMS_User_Id__c\n';
      if (method === 'GET') return { state: 'Failed', errorMessage: 'InternalServerError', numberRecordsProcessed: 2 };
      throw new Error(`unexpected ${method} ${url}`);
    });
    const { writer, recorded } = writerOn(client, 'external-id');
    const pending = pendingOf(bulkItems(4).slice(2), 'LMS_User_Id__c');

    await writer.recover({ kind: 'bulk', bulkJobId: '750C' }, pending);

    expect(recorded).toEqual([]);
    expect(pending.size).toBe(2);
  });

  it('fails every record of a job Salesforce refused as a whole, with its reason', async () => {
    const { client } = scriptedSalesforce((method, url) => {
      if (url.endsWith('Results')) return '';
      if (method === 'GET') return { state: 'Failed', errorMessage: 'InvalidBatch : Field name not found : Foo__c' };
      throw new Error(`unexpected ${method} ${url}`);
    });
    const { writer, recorded } = writerOn(client, 'external-id');
    const pending = pendingOf(bulkItems(2), 'LMS_User_Id__c');

    await writer.recover({ kind: 'bulk', bulkJobId: '750D' }, pending);

    expect(recorded.map((outcome) => [outcome.key, outcome.errorCode, outcome.message])).toEqual([
      ['0', 'BULK_JOB_FAILED', 'InvalidBatch : Field name not found : Foo__c'],
      ['1', 'BULK_JOB_FAILED', 'InvalidBatch : Field name not found : Foo__c'],
    ]);
    expect(pending.size).toBe(0);
  });
});
