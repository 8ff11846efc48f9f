import type { CrmField } from '@orglink/shared';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../http-errors.ts';
import { buildSoql, countSoql, fieldIndex, objectOfSoql } from './soql.ts';

const field = (name: string, type: string): CrmField => ({
  name,
  label: name,
  type,
  length: null,
  required: false,
  createable: true,
  updateable: true,
  externalId: false,
  unique: false,
});
const index = fieldIndex([
  field('Id', 'id'),
  field('LastName', 'string'),
  field('NumberOfEmployees', 'int'),
  field('DoNotCall', 'boolean'),
  field('Birthdate', 'date'),
]);

describe('buildSoql', () => {
  it('spells fields as describe does and quotes text with Salesforce escapes', () => {
    expect(
      buildSoql(
        'Contact',
        {
          fields: ['id', 'lastname'],
          conditions: [
            { field: 'LastName', operator: '=', value: "O'Brien\\ OR Id != null" },
            { field: 'LastName', operator: 'IN', value: ['a', 'b'] },
            { field: 'DoNotCall', operator: '=', value: 'TRUE' },
          ],
          orderBy: { field: 'lastname', direction: 'DESC' },
          limit: 10,
        },
        index,
      ),
    ).toBe(
      "SELECT Id, LastName FROM Contact WHERE LastName = 'O\\'Brien\\\\ OR Id != null' AND LastName IN ('a', 'b') AND DoNotCall = true ORDER BY LastName DESC LIMIT 10",
    );
  });

  it('refuses values that do not fit the field type, and fields the object does not have', () => {
    const refused = (conditions: Parameters<typeof buildSoql>[1]['conditions'], fields = ['Id']) => {
      try {
        buildSoql('Contact', { fields, conditions }, index);
      } catch (error) {
        return error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
      }
      return 'accepted';
    };
    expect(refused([{ field: 'NumberOfEmployees', operator: '>', value: '1 OR Id != null' }])).toMatch(
      /is not a number/,
    );
    expect(refused([{ field: 'Birthdate', operator: '=', value: "2020-01-01' OR" }])).toMatch(/is not a date/);
    expect(refused([{ field: 'DoNotCall', operator: 'LIKE', value: 'x' }])).toMatch(/LIKE works on text fields/);
    expect(refused([], ['Id', 'Shoe__c', 'Name); DELETE'])).toMatch(
      /^UNKNOWN_FIELDS: Contact has no field "Shoe__c", "Name\); DELETE"/,
    );
  });
});

describe('countSoql and objectOfSoql', () => {
  it('count the top-level query, stepping over subqueries and quoted text', () => {
    const soql =
      "SELECT Id, (SELECT Id FROM Contacts ORDER BY Name) FROM Account WHERE Name != ' FROM x' ORDER BY Name LIMIT 5";
    expect(countSoql(soql)).toBe("SELECT COUNT() FROM Account WHERE Name != ' FROM x' LIMIT 5");
    expect(objectOfSoql(soql)).toBe('Account');
    expect(objectOfSoql('select id from contact')).toBe('contact');
  });
});
