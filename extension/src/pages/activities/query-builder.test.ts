import { describe, expect, it } from 'vitest';
import { type BuilderDraft, builderRequest, emptyBuilder, previewSoql } from './query-builder.ts';
import { CONTACT_FIELDS } from './test-fields.ts';

const draft = (overrides: Partial<BuilderDraft>): BuilderDraft => ({ ...emptyBuilder(), ...overrides });

describe('builderRequest', () => {
  it('turns the form into the API builder: fields once, conditions, order and limit', () => {
    const result = builderRequest(
      draft({
        fields: ['Id', 'LastName', 'Id'],
        conditions: [
          { field: 'LastName', operator: 'LIKE', value: 'Sm%' },
          { field: 'Email', operator: 'IN', value: ' a@x.org, b@x.org ,, ' },
        ],
        orderField: 'LastName',
        orderDirection: 'DESC',
        limit: ' 250 ',
      }),
    );
    expect(result).toEqual({
      ok: true,
      builder: {
        fields: ['Id', 'LastName'],
        conditions: [
          { field: 'LastName', operator: 'LIKE', value: 'Sm%' },
          { field: 'Email', operator: 'IN', value: ['a@x.org', 'b@x.org'] },
        ],
        orderBy: { field: 'LastName', direction: 'DESC' },
        limit: 250,
      },
    });
  });

  it('leaves out what the admin left empty', () => {
    expect(builderRequest(draft({ fields: ['Id'] }))).toEqual({ ok: true, builder: { fields: ['Id'] } });
  });

  it('says what to fix: no field, a condition without its field, an empty IN, a bad limit', () => {
    expect(builderRequest(draft({ fields: [] }))).toMatchObject({ ok: false, problem: /at least one field/ });
    expect(builderRequest(draft({ conditions: [{ field: '', operator: '=', value: 'x' }] }))).toMatchObject({
      ok: false,
      problem: /Condition 1: pick a field/,
    });
    expect(builderRequest(draft({ conditions: [{ field: 'Email', operator: 'NOT IN', value: ' , ' }] }))).toMatchObject(
      { ok: false, problem: /NOT IN needs values/ },
    );
    for (const limit of ['0', '-3', '2.5', 'ten', '50000001']) {
      expect(builderRequest(draft({ limit }))).toMatchObject({ ok: false, problem: /whole number from 1/ });
    }
  });
});

describe('previewSoql', () => {
  it('quotes text with Salesforce escapes and leaves numbers, booleans and dates bare', () => {
    const soql = previewSoql(
      'Contact',
      {
        fields: ['Id', 'LastName'],
        conditions: [
          { field: 'LastName', operator: '=', value: "O'Brien" },
          { field: 'NumberOfEmployees__c', operator: '>=', value: '10' },
          { field: 'HasOptedOutOfEmail', operator: '=', value: 'TRUE' },
          { field: 'Email', operator: 'IN', value: ['a@x.org', 'b@x.org'] },
          { field: 'FirstName', operator: '!=', value: '' },
        ],
        orderBy: { field: 'LastName', direction: 'ASC' },
        limit: 5,
      },
      CONTACT_FIELDS,
    );
    expect(soql).toBe(
      "SELECT Id, LastName FROM Contact WHERE LastName = 'O\\'Brien' AND NumberOfEmployees__c >= 10 AND HasOptedOutOfEmail = true AND Email IN ('a@x.org', 'b@x.org') AND FirstName != null ORDER BY LastName ASC LIMIT 5",
    );
  });

  it('matches the server for the integration test query', () => {
    expect(
      previewSoql(
        'Contact',
        {
          fields: ['Id', 'LastName', 'Email'],
          conditions: [{ field: 'LastName', operator: 'LIKE', value: 'Activity %' }],
          orderBy: { field: 'LastName', direction: 'ASC' },
        },
        CONTACT_FIELDS,
      ),
    ).toBe("SELECT Id, LastName, Email FROM Contact WHERE LastName LIKE 'Activity %' ORDER BY LastName ASC");
  });
});
