/** An in-memory schema and a few rows for the engine's unit tests (the REST layer's tests use the real org schema). */
import { compileSoql } from './compile.ts';
import { SoqlError, type SoqlErrorCode } from './errors.ts';
import type { CompiledSoql, SoqlFieldType, SoqlRecord, SoqlSchema } from './types.ts';

const OBJECTS: Record<string, Record<string, SoqlFieldType>> = {
  Contact: {
    Id: 'id',
    AccountId: 'reference',
    FirstName: 'string',
    LastName: 'string',
    Email: 'email',
    Phone: 'phone',
    Description: 'textarea',
    LeadSource: 'picklist',
    Birthdate: 'date',
    CreatedDate: 'datetime',
    HasOptedOutOfEmail: 'boolean',
    Score__c: 'double',
  },
  Account: {
    Id: 'id',
    Name: 'string',
    Website: 'url',
    NumberOfEmployees: 'int',
    AnnualRevenue: 'currency',
    Discount__c: 'percent',
    IsDeleted: 'boolean',
  },
};

export const schema: SoqlSchema = {
  objectName: (name) => Object.keys(OBJECTS).find((object) => object.toLowerCase() === name.toLowerCase()),
  field: (objectName, fieldName) => {
    const entry = Object.entries(OBJECTS[objectName] ?? {}).find(
      ([name]) => name.toLowerCase() === fieldName.toLowerCase(),
    );
    return entry && { name: entry[0], type: entry[1] };
  },
};

export const compile = (text: string): CompiledSoql => compileSoql(text, schema);

/** The SoqlError a query is refused with (fails the test when it compiles). */
export function refusal(text: string): { errorCode: SoqlErrorCode; message: string } {
  try {
    compile(text);
  } catch (error) {
    if (error instanceof SoqlError) return { errorCode: error.errorCode, message: error.message };
    throw error;
  }
  throw new Error(`expected the query to be refused: ${text}`);
}

/** The last line of an error message: Salesforce's wording without the excerpt and position. */
export const detailOf = (message: string): string => message.slice(message.lastIndexOf('\n') + 1);

/** Ids as Salesforce returns them: 18 characters, case-sensitive body plus case-checksum suffix. */
export const ids = {
  ada: '003Dn00000AbCdEIAV',
  grace: '003Dn00000AbCdFIAV',
  linus: '003Dn00000AbCdGIAV',
  margaret: '003Dn00000abcdhIAA',
  acme: '001Dn00000XyZ01IAF',
};

export const contacts: SoqlRecord[] = [
  {
    Id: ids.ada,
    AccountId: ids.acme,
    FirstName: 'Ada',
    LastName: 'Lovelace',
    Email: 'ada@example.com',
    Phone: '+44 20 7946 0001',
    Description: "Wrote the first program; said 'the engine weaves algebraic patterns'",
    LeadSource: 'Web',
    Birthdate: '1815-12-10',
    CreatedDate: '2024-03-01T09:00:00.000+0000',
    HasOptedOutOfEmail: false,
    Score__c: 98.5,
  },
  {
    Id: ids.grace,
    AccountId: ids.acme,
    FirstName: 'Grace',
    LastName: 'Hopper',
    Email: 'grace@example.com',
    Phone: null,
    Description: '100% COBOL_fan',
    LeadSource: 'Phone Inquiry',
    Birthdate: '1906-12-09',
    CreatedDate: '2024-03-01T10:30:00.000+0000',
    HasOptedOutOfEmail: true,
    Score__c: 87,
  },
  {
    Id: ids.linus,
    AccountId: null,
    FirstName: 'linus',
    LastName: 'Torvalds',
    Email: null,
    Phone: '',
    Description: null,
    LeadSource: null,
    Birthdate: null,
    CreatedDate: '2024-02-29T23:59:59.000+0000',
    HasOptedOutOfEmail: false,
    Score__c: null,
  },
  {
    Id: ids.margaret,
    AccountId: null,
    FirstName: 'Margaret',
    LastName: 'Hamilton',
    Email: 'MARGARET@EXAMPLE.COM',
    Phone: '+1 617 555 0100',
    Description: 'Apollo 11 on-board flight software',
    LeadSource: 'Web',
    Birthdate: '1936-08-17',
    CreatedDate: '2024-03-01T11:00:00+01:00',
    HasOptedOutOfEmail: false,
    Score__c: 87,
  },
];
