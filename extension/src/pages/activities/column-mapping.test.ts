import { describe, expect, it } from 'vitest';
import { autoMap, checkMapping, columnMapFor, externalIdChoices, fieldChoices, hasProblems } from './column-mapping.ts';
import { CONTACT_FIELDS } from './test-fields.ts';

describe('autoMap', () => {
  it('maps by API name, then loosely, then by label; leaves the rest to skip', () => {
    expect(autoMap(['lastname', 'E-mail', 'LMS User Id', 'First Name', 'Shoe size'], CONTACT_FIELDS)).toEqual({
      lastname: 'LastName',
      'E-mail': 'Email',
      'LMS User Id': 'LMS_User_Id__c',
      'First Name': 'FirstName',
      'Shoe size': '',
    });
  });

  it('uses each field once: an exact name wins over a loose match found earlier in the file', () => {
    expect(autoMap(['Last Name', 'LastName'], CONTACT_FIELDS)).toEqual({ 'Last Name': '', LastName: 'LastName' });
  });

  it('offers only the fields the activity can fill', () => {
    const insert = autoMap(['Id', 'CreatedDate', 'LastName'], fieldChoices('insert', CONTACT_FIELDS));
    expect(insert).toEqual({ Id: '', CreatedDate: '', LastName: 'LastName' });
    expect(fieldChoices('bulk-delete', CONTACT_FIELDS).map((field) => field.name)).toEqual(['Id']);
    expect(fieldChoices('update', CONTACT_FIELDS).map((field) => field.name)).toContain('Id');
  });
});

describe('checkMapping', () => {
  it('accepts a good mapping', () => {
    const problems = checkMapping('insert', { 'Last Name': 'LastName', Notes: '' }, CONTACT_FIELDS, '');
    expect(hasProblems(problems)).toBe(false);
  });

  it('puts column problems beside their column: a field twice, Id on insert, a read-only field', () => {
    const problems = checkMapping(
      'bulk-insert',
      { a: 'LastName', b: 'LastName', c: 'Id', d: 'CreatedDate', e: 'Nope__c' },
      CONTACT_FIELDS,
      '',
    );
    expect(problems.columns).toEqual({
      b: expect.stringMatching(/“a” already fills LastName/),
      c: expect.stringMatching(/Insert creates new records/),
      d: expect.stringMatching(/cannot write CreatedDate/),
      e: expect.stringMatching(/not a field/),
    });
  });

  it('Delete needs only an Id column; Update needs an Id column; nothing mapped is a problem', () => {
    expect(checkMapping('delete', { Id: 'Id' }, CONTACT_FIELDS, '')).toEqual({ columns: {}, general: [] });
    const extra = checkMapping('bulk-hard-delete', { Id: 'Id', Name: 'LastName' }, CONTACT_FIELDS, '');
    expect(extra.columns.Name).toMatch(/only record Ids/);
    expect(checkMapping('bulk-delete', { x: '' }, CONTACT_FIELDS, '').general).toEqual([
      'No column fills a field. Map at least one column to a field.',
      'Bulk Delete finds each record by its Id: map a column to Id.',
    ]);
    expect(checkMapping('update', { Email: 'Email' }, CONTACT_FIELDS, '').general).toEqual([
      'Update finds each record by its Id: map a column to Id.',
    ]);
  });

  it('Upsert needs a unique External ID field, mapped from a column', () => {
    const mapping = { lms: 'LMS_User_Id__c', name: 'LastName' };
    expect(checkMapping('bulk-upsert', mapping, CONTACT_FIELDS, '').general).toEqual([
      'Pick the External ID field that upsert matches records by.',
    ]);
    expect(checkMapping('upsert', mapping, CONTACT_FIELDS, 'Legacy_Id__c').general[0]).toMatch(
      /not a unique External ID/,
    );
    expect(checkMapping('upsert', { name: 'LastName' }, CONTACT_FIELDS, 'LMS_User_Id__c').general).toEqual([
      'Map a column to LMS_User_Id__c: upsert matches records by it.',
    ]);
    expect(hasProblems(checkMapping('bulk-upsert', mapping, CONTACT_FIELDS, 'LMS_User_Id__c'))).toBe(false);
  });

  it('offers as External ID only fields that are External ID and unique', () => {
    expect(externalIdChoices(CONTACT_FIELDS).map((field) => field.name)).toEqual(['LMS_User_Id__c']);
  });
});

describe('columnMapFor', () => {
  it('sends only the columns whose field differs from their name, skips as empty', () => {
    expect(columnMapFor({ LastName: 'LastName', 'E-mail': 'Email', Notes: '' })).toEqual({
      'E-mail': 'Email',
      Notes: '',
    });
  });
});
