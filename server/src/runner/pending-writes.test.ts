import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PendingWrites } from './pending-writes.ts';
import type { WriteItem } from './write-types.ts';

const item = (key: string, values: Record<string, string | null>, known = false): WriteItem => ({
  key,
  values,
  hash: `h${key}`,
  known,
  targetId: known ? `003${key}` : null,
});

describe('PendingWrites', () => {
  it('keeps records per run, replaces a record added twice and gives them back in the order added', () => {
    const db = new Database(':memory:');
    const mine = new PendingWrites(db, 'run_a');
    const other = new PendingWrites(db, 'run_b');
    mine.add([item('2', { LastName: 'Two' }), item('1', { LastName: 'One', Email: null }, true)], null);
    mine.add([item('2', { LastName: 'Two again' })], null);
    other.add([item('9', { LastName: 'Nine' })], null);

    expect(mine.size).toBe(2);
    expect(other.size).toBe(1);
    expect([...mine.chunks(10)].flat()).toEqual([
      item('1', { LastName: 'One', Email: null }, true),
      item('2', { LastName: 'Two again' }),
    ]);
  });

  it('gives the values of every pending record as their JSON text, chunk by chunk, for a Bulk upload', () => {
    const pending = new PendingWrites(new Database(':memory:'), 'run_a');
    const values = Array.from({ length: 5 }, (_, index) => ({ LastName: `L${index}`, Title: index % 2 ? null : 'X' }));
    pending.add(
      values.map((value, index) => item(String(index), value)),
      null,
    );
    const chunks = [...pending.valuesJsonChunks(2)];
    expect(chunks.map((chunk) => chunk.length)).toEqual([2, 2, 1]);
    expect(chunks.flat().map((text) => JSON.parse(text))).toEqual(values);
  });

  it('reads chunk by chunk, so records settled while iterating are not disturbed and the rest stays pending', () => {
    const pending = new PendingWrites(new Database(':memory:'), 'run_a');
    pending.add(
      Array.from({ length: 10 }, (_, index) => item(String(index), { LastName: `L${index}` })),
      null,
    );
    const seen: string[] = [];
    for (const chunk of pending.chunks(3)) {
      seen.push(...chunk.map((record) => record.key));
      // Settle all but the first record of each chunk: those stay for the next round.
      pending.settle(chunk.slice(1).map((record) => record.key));
    }
    expect(seen).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect([...pending.chunks(100)].flat().map((record) => record.key)).toEqual(['0', '3', '6', '9']);
  });

  it('finds records by the key value they uploaded, and by source key', () => {
    const pending = new PendingWrites(new Database(':memory:'), 'run_a');
    pending.add(
      [item('1', { LMS_User_Id__c: 'u-1' }), item('2', { LMS_User_Id__c: 'u-1' }), item('3', { LMS_User_Id__c: null })],
      'LMS_User_Id__c',
    );
    // No External ID value uploaded: the record is found by its source key.
    expect(pending.withWrittenKeys(['u-1', '3', 'nope'])).toEqual(
      new Map([
        [
          'u-1',
          [
            { key: '1', hash: 'h1', known: 0 },
            { key: '2', hash: 'h2', known: 0 },
          ],
        ],
        ['3', [{ key: '3', hash: 'h3', known: 0 }]],
      ]),
    );
    expect(pending.withKeys(['3', '1', 'nope']).map((record) => record.key)).toEqual(['1', '3']);
  });

  it('groups records sharing a value, ignoring case and empty values', () => {
    const pending = new PendingWrites(new Database(':memory:'), 'run_a');
    pending.add(
      [
        item('1', { Email: 'Ada@Example.org' }),
        item('2', { Email: 'bob@example.org' }),
        item('3', { Email: 'ada@example.org' }),
        item('4', { Email: '' }),
        item('5', { Email: '' }),
        item('6', { Email: null }),
        item('7', { Email: null }),
        item('8', { Email: 'ÉLODIE@example.org' }),
        item('9', { Email: 'élodie@example.org' }),
      ],
      null,
    );
    expect(pending.sharingValue('Email').map((group) => group.map((record) => record.key))).toEqual([
      ['1', '3'],
      ['8', '9'],
    ]);
  });

  it('clears one run without touching another', () => {
    const db = new Database(':memory:');
    const mine = new PendingWrites(db, 'run_a');
    const other = new PendingWrites(db, 'run_b');
    mine.add([item('1', {})], null);
    other.add([item('1', {})], null);
    mine.clear();
    expect(mine.size).toBe(0);
    expect(other.size).toBe(1);
  });
});
