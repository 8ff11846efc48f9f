import { describe, expect, it } from 'vitest';
import { positionedMessage, SoqlError } from './errors.ts';
import { compile, detailOf, refusal } from './fixture.ts';

const NO_SUCH_COLUMN_ADVICE =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";

describe('error excerpt, caret and position', () => {
  it('shows a short query whole, with the caret under the error and a 1-based column', () => {
    expect(refusal('SELECT Foo FROM Contact')).toEqual({
      errorCode: 'INVALID_FIELD',
      message: `\nSELECT Foo FROM Contact\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'Contact'. ${NO_SUCH_COLUMN_ADVICE}`,
    });
  });

  it('cuts a long row about 30 characters either side of the error, widened to whole words', () => {
    // As in a captured real error: the excerpt ends on LIMIT, without its number.
    expect(positionedMessage('SELECT Id, DepProbeField__c FROM Account LIMIT 1', 11, 'x')).toBe(
      '\nSELECT Id, DepProbeField__c FROM Account LIMIT\n           ^\nERROR at Row:1:Column:12\nx',
    );
    const fields = 'Id, OwnerId, LastModifiedById, CreatedById,OCE__ActualCap__c,TPI_Product__c,Name,OCE__JobId__c';
    const text = `SELECT ${fields} FROM OCE__ActivityPlan__c`;
    const at = text.indexOf('TPI_Product__c');
    expect(positionedMessage(text, at, 'x')).toBe(
      `\nCreatedById,OCE__ActualCap__c,TPI_Product__c,Name,OCE__JobId__c\n${' '.repeat(30)}^\nERROR at Row:1:Column:${at + 1}\nx`,
    );
  });

  it('reports the row and the column within that row for multi-line queries', () => {
    const { message } = refusal('SELECT Id,\n  Nickname\nFROM Contact');
    expect(message).toBe(
      `\n  Nickname\n  ^\nERROR at Row:2:Column:3\nNo such column 'Nickname' on entity 'Contact'. ${NO_SUCH_COLUMN_ADVICE}`,
    );
  });

  it('handles Windows line endings', () => {
    expect(refusal('SELECT Id,\r\n  Nickname\r\nFROM Contact').message).toMatch(
      /^\n {2}Nickname\n {2}\^\nERROR at Row:2:Column:3\n/,
    );
  });

  it('puts the caret after the last character when the query ends too early', () => {
    expect(refusal('SELECT Id FROM Contact WHERE').message).toBe(
      "\nSELECT Id FROM Contact WHERE\n                            ^\nERROR at Row:1:Column:29\nunexpected token: '<EOF>'",
    );
  });

  it('is a real Error carrying errorCode', () => {
    try {
      compile('SELECT Id FROM Nope');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SoqlError);
      expect(error).toBeInstanceOf(Error);
      expect((error as SoqlError).errorCode).toBe('INVALID_TYPE');
    }
  });
});

describe('MALFORMED_QUERY: syntax', () => {
  const detail = (text: string): [string, string] => {
    const { errorCode, message } = refusal(text);
    return [errorCode, detailOf(message)];
  };

  it('refuses AND and OR mixed at one level, naming the token where the mix starts', () => {
    expect(detail("SELECT Id FROM Contact WHERE LastName = 'a' AND FirstName = 'b' OR Email = null")).toEqual([
      'MALFORMED_QUERY',
      "unexpected token: 'OR'",
    ]);
    expect(detail("SELECT Id FROM Contact WHERE LastName = 'a' or FirstName = 'b' and Email = null")).toEqual([
      'MALFORMED_QUERY',
      "unexpected token: 'and'",
    ]);
    expect(detail("SELECT Id FROM Contact WHERE (LastName = 'a' AND FirstName = 'b' OR Email = null)")).toEqual([
      'MALFORMED_QUERY',
      "unexpected token: 'OR'",
    ]);
    expect(
      refusal("SELECT Id FROM Contact WHERE LastName = 'a' AND FirstName = 'b' OR Email = null").message,
    ).toContain('ERROR at Row:1:Column:65');
  });

  it('allows NOT only at the start of a condition group, as Salesforce grammar does', () => {
    expect(detail("SELECT Id FROM Contact WHERE Email != null AND NOT LastName = 'a'")).toEqual([
      'MALFORMED_QUERY',
      "unexpected token: 'NOT'",
    ]);
    expect(detail("SELECT Id FROM Contact WHERE NOT LastName = 'a' AND Email != null")).toEqual([
      'MALFORMED_QUERY',
      "unexpected token: 'AND'",
    ]);
    expect(detail("SELECT Id FROM Contact WHERE LastName NOT LIKE 'a%'")).toEqual([
      'MALFORMED_QUERY',
      "unexpected token: 'LIKE'",
    ]);
  });

  it('names the unexpected token for broken clauses', () => {
    expect(detail('SELECT Id FROM Contact WHERE Email')).toEqual(['MALFORMED_QUERY', "unexpected token: '<EOF>'"]);
    expect(detail('SELECT Id FROM Contact WHERE (Email = null')).toEqual([
      'MALFORMED_QUERY',
      "unexpected token: '<EOF>'",
    ]);
    expect(detail('SELECT Id FROM Contact WHERE Email = null)')).toEqual(['MALFORMED_QUERY', "unexpected token: ')'"]);
    expect(detail('SELECT Id FROM Contact LIMIT 5 ORDER BY Email')).toEqual([
      'MALFORMED_QUERY',
      "unexpected token: 'ORDER'",
    ]);
    expect(detail('SELECT Id FROM Contact OFFSET 5 LIMIT 5')).toEqual(['MALFORMED_QUERY', "unexpected token: 'LIMIT'"]);
    expect(detail('SELECT Id FROM Contact ORDER Email')).toEqual(['MALFORMED_QUERY', "unexpected token: 'Email'"]);
    expect(detail('SELECT Id FROM Contact ORDER BY Email NULLS')).toEqual([
      'MALFORMED_QUERY',
      "unexpected token: '<EOF>'",
    ]);
    expect(detail('SELECT Id FROM Contact LIMIT -1')).toEqual(['MALFORMED_QUERY', "unexpected token: '-1'"]);
    expect(detail('SELECT Id FROM Contact LIMIT 1.5')).toEqual(['MALFORMED_QUERY', "unexpected token: '1.5'"]);
    expect(detail('SELECT Id FROM Contact LIMIT ten')).toEqual(['MALFORMED_QUERY', "unexpected token: 'ten'"]);
    expect(detail('SELECT Id, FROM Contact')).toEqual(['MALFORMED_QUERY', "unexpected token: 'FROM'"]);
    expect(detail('SELECT Id Contact')).toEqual(['MALFORMED_QUERY', "unexpected token: 'Contact'"]);
    expect(detail('SELECT Id FROM Contact;')).toEqual(['MALFORMED_QUERY', "unexpected token: ';'"]);
    expect(detail('SELECT Id FROM Contact WHERE Email = "a@b.c"')).toEqual([
      'MALFORMED_QUERY',
      "unexpected token: '\"'",
    ]);
    expect(detail('SELECT Id FROM Contact WHERE Email = a@b.c')).toEqual(['MALFORMED_QUERY', "unexpected token: 'a'"]);
    expect(detail('SELECT Id FROM Contact WHERE Email = :email')).toEqual(['MALFORMED_QUERY', "unexpected token: ':'"]);
    expect(detail("SELECT Id FROM Contact WHERE Email = 'open")).toEqual(['MALFORMED_QUERY', "unexpected token: '''"]);
    expect(detail('DELETE FROM Contact')).toEqual(['MALFORMED_QUERY', "unexpected token: 'DELETE'"]);
    expect(detail('')).toEqual(['MALFORMED_QUERY', "unexpected token: '<EOF>'"]);
  });

  it('uses the Summer ’24 wording for an empty SELECT list and an empty IN list', () => {
    expect(detail('SELECT FROM Contact')).toEqual(['MALFORMED_QUERY', "unexpected token: 'SELECT FROM'"]);
    expect(detail('SELECT Id FROM Contact WHERE Email IN ()')).toEqual([
      'MALFORMED_QUERY',
      "unexpected token: 'Email IN ()'",
    ]);
    expect(detail('SELECT Id FROM Contact WHERE Email NOT IN ()')).toEqual([
      'MALFORMED_QUERY',
      "unexpected token: 'Email NOT IN ()'",
    ]);
  });

  it('refuses backslash sequences the SOQL reference does not list, and \\% \\_ outside LIKE', () => {
    expect(detail("SELECT Id FROM Contact WHERE Email = 'a\\db'")).toEqual([
      'MALFORMED_QUERY',
      "Invalid string literal 'a\\db'. Illegal character sequence '\\d' in string literal.",
    ]);
    expect(detail("SELECT Id FROM Contact WHERE Email = '100\\%'")).toEqual([
      'MALFORMED_QUERY',
      "Invalid string literal '100\\%'. Illegal character sequence '\\%' in string literal.",
    ]);
    expect(detail("SELECT Id FROM Contact WHERE Email LIKE '\\u12'")).toEqual([
      'MALFORMED_QUERY',
      "Invalid string literal '\\u12'. Illegal character sequence '\\u' in string literal.",
    ]);
  });

  it('refuses impossible dates and datetimes with Salesforce wording', () => {
    expect(detail('SELECT Id FROM Contact WHERE Birthdate = 2023-02-29')).toEqual([
      'MALFORMED_QUERY',
      'Invalid date: 2023-02-29',
    ]);
    expect(detail('SELECT Id FROM Contact WHERE Birthdate = 2020-52-12')).toEqual([
      'MALFORMED_QUERY',
      'Invalid date: 2020-52-12',
    ]);
    expect(detail('SELECT Id FROM Contact WHERE CreatedDate > 2020-12-12t12:12:00-25:00')).toEqual([
      'MALFORMED_QUERY',
      'Invalid datetime: 2020-12-12t12:12:00-25:00',
    ]);
    expect(detail('SELECT Id FROM Contact WHERE CreatedDate > 2020-12-12T24:00:00Z')).toEqual([
      'MALFORMED_QUERY',
      'Invalid datetime: 2020-12-12T24:00:00Z',
    ]);
    expect(detail('SELECT Id FROM Contact WHERE CreatedDate > 2020-12-12T10:00:00')).toEqual([
      'MALFORMED_QUERY',
      'Invalid datetime: 2020-12-12T10:00:00',
    ]);
    expect(compile('SELECT Id FROM Contact WHERE Birthdate = 2024-02-29').objectName).toBe('Contact');
  });

  it('says plainly when valid SOQL is outside what the simulator serves', () => {
    const unsupported = [
      'SELECT COUNT(Id) FROM Contact',
      'SELECT Id, (SELECT Id FROM Contacts) FROM Account',
      'SELECT FIELDS(ALL) FROM Contact LIMIT 200',
      'SELECT LeadSource FROM Contact GROUP BY LeadSource',
      'SELECT Id FROM Contact WITH SECURITY_ENFORCED',
      'SELECT Id FROM Contact USING SCOPE mine',
      'SELECT Id FROM Contact FOR UPDATE',
      'SELECT Id FROM Contact ALL ROWS',
      'SELECT Id FROM Contact WHERE CreatedDate = TODAY',
      'SELECT Id FROM Contact WHERE CreatedDate > LAST_N_DAYS:30',
      'SELECT Id FROM Contact WHERE AccountId IN (SELECT Id FROM Account)',
      "SELECT Id FROM Contact WHERE LeadSource INCLUDES ('Web')",
      'SELECT Id FROM Contact WHERE CALENDAR_YEAR(CreatedDate) = 2024',
      'SELECT Id FROM Contact, Contact.Account',
      "SELECT Id FROM Contact WHERE Account.Name = 'Acme'",
    ];
    for (const text of unsupported) {
      const { errorCode, message } = refusal(text);
      expect([text, errorCode]).toEqual([text, 'MALFORMED_QUERY']);
      expect(detailOf(message)).toMatch(/valid SOQL but not supported by the OrgLink Salesforce simulator$/);
    }
  });
});

describe('INVALID_TYPE and INVALID_FIELD: names', () => {
  it('refuses an unknown object with Salesforce’s message', () => {
    expect(refusal('SELECT Id FROM Nope__c')).toEqual({
      errorCode: 'INVALID_TYPE',
      message:
        "\nSELECT Id FROM Nope__c\n               ^\nERROR at Row:1:Column:16\nsObject type 'Nope__c' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
    });
  });

  it('refuses unknown fields wherever they appear, reporting the first in reading order', () => {
    expect(detailOf(refusal('SELECT Id FROM Contact WHERE Nickname = null').message)).toBe(
      `No such column 'Nickname' on entity 'Contact'. ${NO_SUCH_COLUMN_ADVICE}`,
    );
    expect(detailOf(refusal('SELECT Id FROM Contact ORDER BY Rank__c').message)).toMatch(/^No such column 'Rank__c'/);
    expect(detailOf(refusal('SELECT Rank__c FROM Contact WHERE Nickname = null').message)).toMatch(
      /^No such column 'Rank__c'/,
    );
    expect(refusal('SELECT Account.Id FROM Contact').errorCode).toBe('MALFORMED_QUERY');
    expect(detailOf(refusal('SELECT Id FROM Contact WHERE Owner.Name = null').message)).toBe(
      "Didn't understand relationship 'Owner' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
    );
  });

  it('refuses a field selected twice, in any spelling, with the documented message', () => {
    expect(refusal('SELECT Id, Email, id FROM Contact')).toEqual({
      errorCode: 'INVALID_FIELD',
      message: 'duplicate field selected: Id',
    });
    expect(refusal('SELECT email, Contact.EMAIL FROM Contact').message).toBe('duplicate field selected: Email');
  });
});

describe('filter value types', () => {
  const typeError = (condition: string): [string, string] => {
    const { errorCode, message } = refusal(`SELECT Id FROM Contact WHERE ${condition}`);
    return [errorCode, detailOf(message)];
  };

  it('requires quotes for text and ids, and none for other types', () => {
    const cases: [string, string][] = [
      [
        'LastName = 5',
        "value of filter criterion for field 'LastName' must be of type string and should be enclosed in quotes",
      ],
      [
        'Email IN (true)',
        "value of filter criterion for field 'Email' must be of type string and should be enclosed in quotes",
      ],
      [
        'LeadSource = 2024-01-01',
        "value of filter criterion for field 'LeadSource' must be of type string and should be enclosed in quotes",
      ],
      [
        'AccountId = 1',
        "value of filter criterion for field 'AccountId' must be of type id and should be enclosed in quotes",
      ],
      [
        "Score__c > '5'",
        "value of filter criterion for field 'Score__c' must be of type double and should not be enclosed in quotes",
      ],
      [
        "HasOptedOutOfEmail = 'true'",
        "value of filter criterion for field 'HasOptedOutOfEmail' must be of type boolean and should not be enclosed in quotes",
      ],
      [
        'HasOptedOutOfEmail = 1',
        "value of filter criterion for field 'HasOptedOutOfEmail' must be of type boolean and should not be enclosed in quotes",
      ],
      [
        "Birthdate = '2024-01-01'",
        "value of filter criterion for field 'Birthdate' must be of type date and should not be enclosed in quotes",
      ],
      [
        'Birthdate = 2024-01-01T00:00:00Z',
        "value of filter criterion for field 'Birthdate' must be of type date and should not be enclosed in quotes",
      ],
      [
        'CreatedDate > 2024-01-01',
        "value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes",
      ],
      [
        "CreatedDate > '2024-01-01T00:00:00Z'",
        "value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes",
      ],
    ];
    for (const [condition, message] of cases)
      expect([condition, ...typeError(condition)]).toEqual([condition, 'INVALID_FIELD', message]);
  });

  it('requires whole numbers for integer fields', () => {
    const { errorCode, message } = refusal("SELECT Id FROM Account WHERE NumberOfEmployees = '5'");
    expect([errorCode, detailOf(message)]).toEqual([
      'INVALID_FIELD',
      "value of filter criterion for field 'NumberOfEmployees' must be of type integer and should not be enclosed in quotes",
    ]);
    expect(detailOf(refusal('SELECT Id FROM Account WHERE NumberOfEmployees > 2.5').message)).toMatch(
      /must be of type integer/,
    );
    expect(compile('SELECT Id FROM Account WHERE AnnualRevenue > 2 AND Discount__c < 2.5').objectName).toBe('Account');
  });

  it('puts the caret on the offending value, in an excerpt cut to whole words', () => {
    expect(refusal("SELECT Id FROM Account WHERE NumberOfEmployees = '5'").message).toBe(
      `\nAccount WHERE NumberOfEmployees = '5'\n${' '.repeat(34)}^\nERROR at Row:1:Column:50\nvalue of filter criterion for field 'NumberOfEmployees' must be of type integer and should not be enclosed in quotes`,
    );
  });

  it('refuses values that are not record ids for id fields', () => {
    expect(typeError("Id = 'Edge Communications'")).toEqual([
      'INVALID_QUERY_FILTER_OPERATOR',
      'invalid ID field: Edge Communications',
    ]);
    expect(typeError("AccountId IN ('001Dn00000XyZ01', '001Dn00000XyZ01IA')")).toEqual([
      'INVALID_QUERY_FILTER_OPERATOR',
      'invalid ID field: 001Dn00000XyZ01IA',
    ]);
    expect(typeError("Id = '003Dn00000AbCdE!!!'")).toEqual([
      'INVALID_QUERY_FILTER_OPERATOR',
      'invalid ID field: 003Dn00000AbCdE!!!',
    ]);
  });

  it('allows LIKE on text only and range operators on everything but booleans', () => {
    expect(typeError("Id LIKE '003%'")).toEqual(['INVALID_QUERY_FILTER_OPERATOR', 'invalid operator on id field']);
    expect(typeError("AccountId LIKE '001%'")).toEqual([
      'INVALID_QUERY_FILTER_OPERATOR',
      'invalid operator on id field',
    ]);
    expect(typeError("Score__c LIKE '9%'")).toEqual([
      'INVALID_QUERY_FILTER_OPERATOR',
      'invalid operator on double field',
    ]);
    expect(typeError("Birthdate LIKE '19%'")).toEqual([
      'INVALID_QUERY_FILTER_OPERATOR',
      'invalid operator on date field',
    ]);
    expect(typeError('HasOptedOutOfEmail > false')).toEqual([
      'INVALID_QUERY_FILTER_OPERATOR',
      'invalid operator on boolean field',
    ]);
    expect(typeError('LastName LIKE 5')).toEqual([
      'INVALID_FIELD',
      "value of filter criterion for field 'LastName' must be of type string and should be enclosed in quotes",
    ]);
  });

  it('allows null only with =, != and in IN lists', () => {
    expect(typeError('Email LIKE null')).toEqual(['MALFORMED_QUERY', "unexpected token: 'null'"]);
    expect(typeError('Score__c > NULL')).toEqual(['MALFORMED_QUERY', "unexpected token: 'NULL'"]);
    expect(compile('SELECT Id FROM Contact WHERE Score__c IN (null, 1) AND HasOptedOutOfEmail != null').isCount).toBe(
      false,
    );
  });
});

describe('COUNT() and OFFSET limits', () => {
  it('refuses ORDER BY with COUNT(), as an aggregate query', () => {
    expect(refusal('SELECT COUNT() FROM Contact ORDER BY LastName')).toEqual({
      errorCode: 'MALFORMED_QUERY',
      message: `\nCOUNT() FROM Contact ORDER BY LastName\n${' '.repeat(30)}^\nERROR at Row:1:Column:38\nOrdered field must be grouped or aggregated: LastName`,
    });
  });

  it('refuses COUNT() alongside other fields', () => {
    expect(detailOf(refusal('SELECT COUNT(), Id FROM Contact').message)).toBe("unexpected token: ','");
    expect(detailOf(refusal('SELECT Id, COUNT() FROM Contact').message)).toMatch(/^The function COUNT\(\)/);
  });

  it('answers OFFSET above 2000 with NUMBER_OUTSIDE_VALID_RANGE', () => {
    expect(refusal('SELECT Id FROM Contact LIMIT 10 OFFSET 2001')).toEqual({
      errorCode: 'NUMBER_OUTSIDE_VALID_RANGE',
      message: 'Maximum SOQL offset allowed is 2000',
    });
    expect(compile('SELECT Id FROM Contact OFFSET 2000').offset).toBe(2000);
  });
});
