import { describe, expect, it } from 'vitest';
import { sampleIntegration, sampleMappingOptions, sampleRun } from './catalog-widget-fixtures.ts';
import {
  initialRows,
  mergeRun,
  missingMandatory,
  rowFrom,
  rowNamedIn,
  runBlockedReason,
  searchFields,
  toFieldMap,
  validateRows,
} from './catalog-widget-model.ts';
import { widgetTabFromHash } from './catalog-widget-view.tsx';

describe('mapping rows', () => {
  it('adds back a mandatory field missing from a saved map, pre-filled from the defaults', () => {
    const options = sampleMappingOptions('Lead');
    const rows = initialRows([{ target: 'Email', source: 'email_address' }], options);
    expect(toFieldMap(rows)).toEqual([
      { target: 'Email', source: 'email_address' },
      { target: 'FirstName', source: 'first_name' },
      { target: 'LastName', source: 'last_name' },
      { target: 'Company', constant: 'Catalog' },
    ]);
    expect(missingMandatory(rows, options)).toEqual([]);
    expect(validateRows(rows, options).size).toBe(0);
  });

  it('names unknown, duplicated, unsourced and empty-constant rows', () => {
    const options = sampleMappingOptions('Contact');
    const rows = [
      rowFrom({ target: 'CreatedDate', source: 'created_at' }),
      rowFrom({ target: 'Email', source: 'email_address' }),
      rowFrom({ target: 'Email', source: 'email_address' }),
      rowFrom({ target: 'Title', source: 'nope' }),
      rowFrom({ target: 'Phone', constant: ' ' }),
    ];
    expect([...validateRows(rows, options).values()]).toEqual([
      'CreatedDate is not a field OrgLink can write on Contact.',
      'Email is mapped twice: remove one row.',
      'Choose the Catalog field that fills Title.',
      'Type the fixed value for Business Phone (Phone).',
    ]);
    expect(missingMandatory(rows, options)).toEqual(['FirstName', 'LastName']);
  });

  it('finds the row a server message names, as a whole word', () => {
    const rows = [rowFrom({ target: 'Phone', source: 'x' }), rowFrom({ target: 'MobilePhone', source: 'x' })];
    expect(rowNamedIn('MobilePhone is too short for the value', rows)).toBe(rows[1]?.key);
    expect(rowNamedIn('Nothing to do with any row', rows)).toBeUndefined();
  });

  it('searches fields by name and label, name matches first', () => {
    const fields = sampleMappingOptions('Contact').crmFields;
    expect(searchFields(fields, 'phone').map((field) => field.name)).toEqual(['Phone']);
    expect(searchFields(fields, 'catalog user').map((field) => field.name)).toEqual(['Catalog_User_Id__c']);
    expect(searchFields(fields, 'name').map((field) => field.name)).toEqual(['FirstName', 'LastName']);
  });
});

describe('merging live run states', () => {
  it('never lets an older state replace a newer one', () => {
    const done = sampleRun();
    const queued = sampleRun({ status: 'queued', counts: { ...done.counts, processed: 0 } });
    expect(mergeRun([done], queued)).toEqual([done]);
    expect(mergeRun([queued], done)).toEqual([done]);
    const halfway = sampleRun({ id: 'run-2', status: 'running', queuedAt: '2026-11-22T00:00:00.000Z' });
    expect(mergeRun([done], halfway).map((run) => run.id)).toEqual(['run-2', 'run-1']);
  });
});

describe('Run Write Job availability', () => {
  it('is blocked while a run is queued, running or holding, and for an inactive connection', () => {
    const integration = sampleIntegration();
    expect(runBlockedReason(integration, [sampleRun()], true)).toBeUndefined();
    expect(runBlockedReason(integration, [sampleRun({ status: 'queued' })], true)).toContain('already running');
    expect(runBlockedReason(integration, [sampleRun({ status: 'holding' })], true)).toContain('Holding');
    expect(runBlockedReason({ ...integration, linkState: 'connection-inactive' }, [], true)).toContain('Reconnect');
  });
});

describe('widgetTabFromHash', () => {
  it('reads the tab the popup links to, and nothing else', () => {
    expect(widgetTabFromHash('#orglink-widget=mapping')).toBe('mapping');
    expect(widgetTabFromHash('#orglink-widget=job-history')).toBe('job-history');
    expect(widgetTabFromHash('#orglink-widget=settings')).toBeUndefined();
    expect(widgetTabFromHash('#mapping')).toBeUndefined();
    expect(widgetTabFromHash('')).toBeUndefined();
  });
});
