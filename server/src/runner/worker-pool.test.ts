import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkerPool } from './worker-pool.ts';

const fieldMap = [
  { target: 'FirstName', source: 'first_name' },
  { target: 'LastName', source: 'last_name' },
];
const users = [{ id: 7, first_name: 'Ada', last_name: 'Lovelace, Countess' }];

describe('WorkerPool', () => {
  let pool: WorkerPool | undefined;
  afterEach(async () => {
    await pool?.close();
  });

  it('maps, hashes and encodes in a worker thread', async () => {
    pool = new WorkerPool(1);
    const [record] = await pool.prepare({ users, fieldMap, externalIdField: 'LMS_User_Id__c' } as never);
    expect(record).toMatchObject({
      key: '7',
      values: { FirstName: 'Ada', LastName: 'Lovelace, Countess', LMS_User_Id__c: '7' },
    });
    const csv = await pool.csv({ columns: ['LastName'], rows: [record?.values ?? {}], nullAs: '#N/A', header: true });
    expect(csv).toBe('LastName\n"Lovelace, Countess"\n');
  });

  it('stops a worker left idle and starts a new one for the next task', async () => {
    pool = new WorkerPool(1, 50);
    await pool.csv({ columns: ['A'], rows: [{ A: '1' }], nullAs: '', header: false });
    expect(pool.size).toBe(1);
    await vi.waitFor(() => expect(pool?.size).toBe(0), { timeout: 5_000 });
    expect(await pool.csv({ columns: ['A'], rows: [{ A: '2' }], nullAs: '', header: false })).toBe('2\n');
    expect(pool.size).toBe(1);
  });

  it('keeps a busy worker however long its task takes', async () => {
    pool = new WorkerPool(1, 10);
    const many = Array.from({ length: 20 }, (_, index) =>
      pool?.csv({ columns: ['A'], rows: [{ A: String(index) }], nullAs: '', header: false }),
    );
    expect((await Promise.all(many)).join('')).toBe(Array.from({ length: 20 }, (_, i) => `${i}\n`).join(''));
  });
});
