import type jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSION, connect, type Running, rawFetch, startSimulator } from './test-support.ts';

let running: Running;
let conn: jsforce.Connection;

beforeAll(async () => {
  running = await startSimulator();
  conn = await connect(running, 'acme');
});
afterAll(() => running.close());

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

describe('sObject Collections', () => {
  it('creates a mixed batch with per-record statusCode errors when allOrNone is off', async () => {
    const before = running.sim.org('acme').count('Contact');
    const results = await conn
      .sobject('Contact')
      .create([
        { LastName: 'Collect One', LMS_User_Id__c: 'col-1' },
        { FirstName: 'No Last Name' },
        { LastName: 'Collect Three', LMS_User_Id__c: 'col-1' },
      ]);
    expect(results[0]).toEqual({ id: expect.stringMatching(/^003/), success: true, errors: [] });
    expect(results[1]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [LastName]',
          fields: ['LastName'],
        },
      ],
    });
    expect(results[2]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'DUPLICATE_VALUE',
          message: 'duplicate value found: <unknown> duplicates value on record with id: <unknown>',
          fields: [],
        },
      ],
    });
    expect(running.sim.org('acme').count('Contact')).toBe(before + 1);
  });

  it('rolls every record back with allOrNone when one fails', async () => {
    const before = running.sim.org('acme').count('Lead');
    const results = await conn.sobject('Lead').create(
      [
        { LastName: 'Atomic', Company: 'Atoms Inc' },
        { LastName: 'Broken', Company: 'Breakers', Email: 'bad-email' },
        { LastName: 'Atomic Too', Company: 'Atoms Inc' },
      ],
      { allOrNone: true },
    );
    expect(results.map((result) => result.success)).toEqual([false, false, false]);
    expect(results[0]).toEqual({ success: false, errors: [ROLLED_BACK] });
    expect(results[1]?.errors[0]).toMatchObject({ statusCode: 'INVALID_EMAIL_ADDRESS' });
    expect(results[2]).toEqual({ success: false, errors: [ROLLED_BACK] });
    expect(running.sim.org('acme').count('Lead')).toBe(before);
  });

  it('updates, retrieves and deletes in collections, rolling back updates too', async () => {
    const created = await conn
      .sobject('Contact')
      .create([{ LastName: 'Batch A' }, { LastName: 'Batch B' }, { LastName: 'Batch C' }]);
    const ids = created.map((result) => result.id ?? '');
    const updated = await conn.sobject('Contact').update(
      ids.map((Id, index) => ({ Id, Title: `Title ${index}` })),
      { allOrNone: false },
    );
    expect(updated.every((result) => result.success)).toBe(true);
    const retrieved = (await conn
      .sobject('Contact')
      .retrieve(ids, { fields: ['Title', 'LastName'] })) as unknown as Record<string, unknown>[];
    expect(retrieved.map((record) => record.Title)).toEqual(['Title 0', 'Title 1', 'Title 2']);
    expect(retrieved[0]?.attributes).toEqual({
      type: 'Contact',
      url: `/services/data/v${API_VERSION}/sobjects/Contact/${ids[0]}`,
    });

    const mixed = await conn.sobject('Contact').update(
      [
        { Id: ids[0] ?? '', Title: 'Changed' },
        { Id: '003RM000003oLrB000', Title: 'Bad id' },
      ],
      { allOrNone: true },
    );
    expect(mixed[0]).toEqual({ id: ids[0], success: false, errors: [ROLLED_BACK] });
    expect(mixed[1]).toEqual({
      success: false,
      errors: [{ statusCode: 'MALFORMED_ID', message: 'malformed id 003RM000003oLrB000', fields: [] }],
    });
    expect(running.sim.org('acme').record('Contact', ids[0] ?? '')?.Title).toBe('Title 0');

    const deleted = await conn.sobject('Contact').destroy([ids[0] ?? '', ids[1] ?? '']);
    expect(deleted).toEqual([
      { id: ids[0], success: true, errors: [] },
      { id: ids[1], success: true, errors: [] },
    ]);
    const again = await conn.sobject('Contact').destroy([ids[0] ?? '', ids[2] ?? ''], { allOrNone: true });
    expect(again[0]).toEqual({
      id: ids[0],
      success: false,
      errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
    });
    expect(again[1]).toEqual({ id: ids[2], success: false, errors: [ROLLED_BACK] });
    expect(running.sim.org('acme').record('Contact', ids[2] ?? '')?.IsDeleted).toBe(false);
  });

  it('upserts by external id with created flags, and refuses duplicate keys in one call', async () => {
    await conn.sobject('Contact').create({ LastName: 'Existing', LMS_User_Id__c: 'col-up-1' });
    const results = await conn.sobject('Contact').upsert(
      [
        { LMS_User_Id__c: 'col-up-1', LastName: 'Existing', Title: 'Updated' },
        { LMS_User_Id__c: 'col-up-2', LastName: 'New' },
      ],
      'LMS_User_Id__c',
    );
    expect(results).toEqual([
      { id: expect.stringMatching(/^003/), success: true, errors: [], created: false },
      { id: expect.stringMatching(/^003/), success: true, errors: [], created: true },
    ]);
    const rows = running.sim.org('acme').records('Contact');
    expect(rows.find((row) => row.LMS_User_Id__c === 'col-up-1')?.Title).toBe('Updated');
    const duplicates = await conn.sobject('Contact').upsert(
      [
        { LMS_User_Id__c: 'col-up-3', LastName: 'Dup' },
        { LMS_User_Id__c: 'COL-UP-3', LastName: 'Dup' },
      ],
      'LMS_User_Id__c',
    );
    expect(duplicates.map((result) => (result as { errors: { statusCode: string }[] }).errors[0]?.statusCode)).toEqual([
      'DUPLICATE_EXTERNAL_ID',
      'DUPLICATE_EXTERNAL_ID',
    ]);
  });

  it('answers request-level errors as top-level error arrays', async () => {
    const tooMany = await rawFetch(conn, `/services/data/v${API_VERSION}/composite/sobjects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        records: Array.from({ length: 201 }, () => ({ attributes: { type: 'Contact' }, LastName: 'x' })),
      }),
    });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toEqual([
      {
        message: 'record limit reached. cannot submit more than 200 records into this call',
        errorCode: 'EXCEEDED_ID_LIMIT',
      },
    ]);
    const noIds = await rawFetch(conn, `/services/data/v${API_VERSION}/composite/sobjects?ids=`, { method: 'DELETE' });
    expect(await noIds.json()).toEqual([
      { message: 'At least 1 Id is required.', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['ids'] },
    ]);
    const noType = await rawFetch(conn, `/services/data/v${API_VERSION}/composite/sobjects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ records: [{ LastName: 'x' }] }),
    });
    expect(await noType.json()).toEqual([{ message: 'Must send a concrete entity type.', errorCode: 'INVALID_TYPE' }]);
  });
});
