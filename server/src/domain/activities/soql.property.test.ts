import type { CrmField, QueryCondition } from '@orglink/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../http-errors.ts';
import { buildSoql, fieldIndex } from './soql.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 8_000_002);
const settings = { seed: SEED, numRuns: 400 };

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
  field('Description', 'textarea'),
  field('NumberOfEmployees', 'int'),
  field('AnnualRevenue', 'currency'),
  field('DoNotCall', 'boolean'),
  field('Birthdate', 'date'),
  field('LastModifiedDate', 'datetime'),
  field('Shoe_Size__c', 'double'),
]);

const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

/**
 * SOQL as Salesforce reads it: everything outside quotes as tokens (the query's shape), and each quoted literal
 * decoded. An unterminated literal or an unknown escape throws, as Salesforce would refuse the query.
 */
function lex(soql: string): { shape: string[]; literals: string[] } {
  const shape: string[] = [];
  const literals: string[] = [];
  let at = 0;
  while (at < soql.length) {
    const char = soql[at] ?? '';
    if (char === "'") {
      let text = '';
      at += 1;
      for (;;) {
        if (at >= soql.length) throw new Error(`unterminated literal in ${soql}`);
        const inner = soql[at] ?? '';
        if (inner === "'") break;
        if (inner === '\\') {
          const escaped = ESCAPES[soql[at + 1] ?? ''];
          if (escaped === undefined) throw new Error(`unknown escape \\${soql[at + 1]} in ${soql}`);
          text += escaped;
          at += 2;
        } else {
          text += inner;
          at += 1;
        }
      }
      at += 1;
      literals.push(text);
      shape.push('<literal>');
    } else if (/\s/.test(char)) {
      at += 1;
    } else {
      const word = /^[A-Za-z0-9_.:-]+|^(?:!=|<=|>=|[=<>(),])/.exec(soql.slice(at))?.[0];
      if (!word) throw new Error(`unexpected ${JSON.stringify(char)} outside a literal in ${soql}`);
      shape.push(word);
      at += word.length;
    }
  }
  return { shape, literals };
}

function build(object: string, conditions: QueryCondition[]) {
  return buildSoql(object, { fields: ['Id', 'LastName'], conditions }, index);
}

const textOperator = fc.constantFrom('=', '!=', '<', '<=', '>', '>=', 'LIKE');
/** Quotes, backslashes, newlines, unicode, NUL and the classic breakouts, mixed into arbitrary text. */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    "' OR Id != '",
    "\\' OR Id != null OR Name = \\'",
    "x' AND LastName LIKE '%",
    '\\',
    "\\'",
    '%_%',
    '\n) OR (Id != null',
    "'; DELETE FROM Contact; --",
    '\u0000\u2028\u2029\u202e',
  ),
  fc
    .array(fc.constantFrom("'", '\\', '"', '\n', '\r', '\t', 'a', ' ', '%', '_', 'ü', '😀'), { maxLength: 30 })
    .map((parts) => parts.join('')),
);
/** "" and "null" mean SOQL null on purpose; every other text must come back as one literal. */
const literalText = hostileText.filter((value) => value !== '' && value.toLowerCase() !== 'null');

describe('query builder: hostile values', () => {
  it('keeps any text value one escaped string literal that decodes to the value, with the query shape unchanged', () => {
    const benign = lex(build('Contact', [{ field: 'LastName', operator: '=', value: 'x' }]));
    fc.assert(
      fc.property(textOperator, literalText, (operator, value) => {
        const soql = build('Contact', [{ field: 'lastname', operator, value }]);
        const { shape, literals } = lex(soql);
        expect(literals).toEqual([value]);
        expect(shape).toEqual(benign.shape.map((token) => (token === '=' ? operator : token)));
      }),
      settings,
    );
  });

  it('keeps IN lists one literal per value, however hostile, across several conditions', () => {
    fc.assert(
      fc.property(
        fc.array(literalText, { minLength: 1, maxLength: 6 }),
        literalText,
        fc.constantFrom('IN', 'NOT IN'),
        (values, other, operator) => {
          const soql = build('Contact', [
            { field: 'LastName', operator, value: values },
            { field: 'Description', operator: 'LIKE', value: other },
          ]);
          const { shape, literals } = lex(soql);
          expect(literals).toEqual([...values, other]);
          const where = shape.slice(shape.indexOf('WHERE'));
          const expected = [
            'WHERE',
            'LastName',
            ...operator.split(' '),
            '(',
            ...values.flatMap((_, at) => (at === 0 ? ['<literal>'] : [',', '<literal>'])),
            ')',
            'AND',
            'Description',
            'LIKE',
            '<literal>',
          ];
          expect(where).toEqual(expected);
        },
      ),
      settings,
    );
  });

  it('lets numbers, booleans, dates and date-times through only as one bare token of their kind', () => {
    const kinds = {
      NumberOfEmployees: /^-?\d+(\.\d+)?$/,
      AnnualRevenue: /^-?\d+(\.\d+)?$/,
      Shoe_Size__c: /^-?\d+(\.\d+)?$/,
      DoNotCall: /^(true|false)$/,
      Birthdate: /^\d{4}-\d{2}-\d{2}$/,
      LastModifiedDate: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
    } as const;
    const candidate = fc.oneof(
      hostileText,
      fc.integer().map(String),
      fc.double({ noNaN: true }).map(String),
      fc.constantFrom('TRUE', 'false', '1 OR Id != null', '2020-01-01', "2020-01-01' OR", '2026-01-31T09:00:00Z'),
      fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      fc.constantFrom('2020-01-01 OR Id != null', '-1e308', '1e5', '0x10', '2026-01-31T09:00:00+01:00 OR'),
    );
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(kinds) as (keyof typeof kinds)[])), candidate, (name, value) => {
        let soql: string;
        try {
          soql = build('Contact', [{ field: name, operator: '=', value }]);
        } catch (error) {
          expect(error).toBeInstanceOf(ApiError);
          expect((error as ApiError).statusCode).toBe(400);
          expect((error as ApiError).message).toContain(name);
          return;
        }
        const { shape, literals } = lex(soql);
        expect(literals).toEqual([]);
        const right = shape.slice(shape.indexOf('=') + 1);
        expect(right).toHaveLength(1);
        if (right[0] !== 'null') expect(right[0]).toMatch(kinds[name]);
      }),
      settings,
    );
  });
});

describe('query builder: names', () => {
  const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

  it('refuses any object name that is not one API name, with a 400 that says what a name looks like', () => {
    const objectName = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom(
        'Contact WHERE Id != null',
        'Contact;',
        'Contact--',
        'Contact,Account',
        '',
        '1Contact',
        'Con tact',
      ),
      fc.stringMatching(API_NAME),
      fc.constantFrom('Contact', 'Invoice__c', 'ns__Invoice__c', 'Event__e', 'Setting__mdt'),
    );
    fc.assert(
      fc.property(objectName, (object) => {
        const attempt = () => build(object, []);
        if (API_NAME.test(object)) {
          expect(lex(attempt()).shape).toEqual(['SELECT', 'Id', ',', 'LastName', 'FROM', object]);
        } else {
          expect(attempt).toThrowError(/is not an object API name/);
        }
      }),
      settings,
    );
  });

  it('refuses every field name describe does not list, naming it, whatever it contains', () => {
    const known = new Set([...index.keys()]);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 30 }),
          fc.constantFrom('Id FROM Account --', 'Name); DELETE', 'Account.Name', 'Owner__r.Name', 'LastName '),
        ),
        fc.constantFrom<'fields' | 'condition' | 'orderBy'>('fields', 'condition', 'orderBy'),
        (name, where) => {
          fc.pre(!known.has(name.toLowerCase()));
          const builder =
            where === 'fields'
              ? { fields: ['Id', name] }
              : where === 'condition'
                ? { fields: ['Id'], conditions: [{ field: name, operator: '=' as const, value: 'x' }] }
                : { fields: ['Id'], orderBy: { field: name, direction: 'ASC' as const } };
          try {
            buildSoql('Contact', builder, index);
          } catch (error) {
            expect(error).toBeInstanceOf(ApiError);
            expect((error as ApiError).code).toBe('UNKNOWN_FIELDS');
            expect((error as ApiError).details).toEqual({ fields: [name] });
            return;
          }
          throw new Error(`"${name}" was accepted as a field`);
        },
      ),
      settings,
    );
  });
});
