import fc, { type Arbitrary } from 'fast-check';

/** The JSON Schema keywords TypeBox emits for the API contract; anything else is treated as "any value". */
export interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  minProperties?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
}

export interface SchemaArbitraryOptions {
  /** Ids of seeded resources (this team's, another team's, deleted ones): offered wherever a string fits. */
  knownStrings: readonly string[];
  /**
   * Values that make sense for a field of this name wherever it appears (connectionId: a usable connection,
   * schedule: a cron expression): drawn most of the time, so requests that name real things reach the handlers.
   */
  byKey?: Readonly<Record<string, Arbitrary<unknown>>>;
}

/** Strings that have broken servers before: injection, encodings, control characters, numbers in disguise. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'abc\u0000def',
  '\t\r\n\v\f\u0008\u001b[31m',
  '\u202eevil\u202c',
  '\ud800',
  '\udfff\ud800',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 ﷽ ẞ İ',
  "' OR Id != '",
  "\\' OR 1=1 --",
  '"; DROP TABLE connections; --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '=HYPERLINK("http://x")',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  '%zz',
  'NaN',
  'Infinity',
  '-0',
  '1e308',
  '-1e308',
  '9007199254740993',
  '0x1F',
  'true',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '{"$gt":""}',
  '*/5 * * * *',
  'javascript:alert(1)',
  'http://127.0.0.1:1/',
];

const HUGE_STRING = 'A'.repeat(100 * 1024);
const EXTRA_KEYS = ['__proto__', 'constructor', 'extra', '', 'id', 'teamId', 'a'.repeat(300)];

function unionOf(schema: JsonSchema): JsonSchema[] | undefined {
  return schema.anyOf ?? schema.oneOf;
}

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type[0];
  if (schema.type) return schema.type;
  if (schema.properties || schema.patternProperties) return 'object';
  return undefined;
}

function compiledPattern(schema: JsonSchema): RegExp | undefined {
  if (!schema.pattern) return undefined;
  try {
    return new RegExp(schema.pattern, 'u');
  } catch {
    return undefined;
  }
}

function fitsString(schema: JsonSchema, value: string): boolean {
  const length = [...value].length;
  if (length < (schema.minLength ?? 0) || length > (schema.maxLength ?? Number.POSITIVE_INFINITY)) return false;
  return compiledPattern(schema)?.test(value) ?? true;
}

function validString(schema: JsonSchema, options: SchemaArbitraryOptions): Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 200;
  const choices: Arbitrary<string>[] = [];
  if (schema.format === 'date-time') {
    choices.push(
      fc
        .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
        .map((date) => date.toISOString()),
    );
  } else if (schema.format === 'uuid') {
    choices.push(fc.uuid());
  } else if (schema.format === 'email') {
    choices.push(fc.emailAddress());
  } else if (schema.format === 'uri') {
    choices.push(fc.webUrl());
  } else {
    const pattern = compiledPattern(schema);
    const repeatedClass = schema.pattern ? /^\^(\[[^\]]+\])[+*]\$$/.exec(schema.pattern)?.[1] : undefined;
    if (repeatedClass) {
      // "^[A-Za-z0-9-]+$" with lengths: characters of the class, as many as the lengths allow.
      const unit = fc.stringMatching(new RegExp(`^${repeatedClass}$`));
      choices.push(fc.string({ unit, minLength: Math.max(min, 1), maxLength: Math.max(min, 1, Math.min(max, 40)) }));
    } else if (pattern) {
      // A filter on length could spin for ever; a value of the wrong length is one more hostile case.
      choices.push(fc.stringMatching(pattern));
    } else {
      choices.push(fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, 40)), unit: 'grapheme' }));
      choices.push(fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, 20)), unit: 'binary' }));
      choices.push(fc.constant('x'.repeat(min)));
      if (max <= 200_000) choices.push(fc.constant('y'.repeat(max)));
    }
  }
  const known = options.knownStrings.filter((value) => fitsString(schema, value));
  if (known.length > 0) choices.push(fc.constantFrom(...known));
  const hostileFitting = HOSTILE_STRINGS.filter((value) => fitsString(schema, value));
  if (hostileFitting.length > 0) choices.push(fc.constantFrom(...hostileFitting));
  return fc.oneof(...choices);
}

function validNumber(schema: JsonSchema, integer: boolean): Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum === undefined ? undefined : schema.exclusiveMinimum + 1);
  const max = schema.maximum ?? (schema.exclusiveMaximum === undefined ? undefined : schema.exclusiveMaximum - 1);
  const boundaries = [min, max, 0].filter(
    (value): value is number =>
      value !== undefined && (min === undefined || value >= min) && (max === undefined || value <= max),
  );
  const range = integer
    ? fc.integer({ min: min ?? -1_000_000, max: max ?? 1_000_000 })
    : fc.double({ min: min ?? -1e9, max: max ?? 1e9, noNaN: true, noDefaultInfinity: true });
  return boundaries.length > 0 ? fc.oneof(range, fc.constantFrom(...boundaries)) : range;
}

function objectFrom(
  schema: JsonSchema,
  childValue: (child: JsonSchema) => Arbitrary<unknown>,
  options: SchemaArbitraryOptions,
): Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const fieldValue = (key: string, child: JsonSchema) => {
    // Own keys only: a schema property named "constructor" must not pick up Object.prototype's.
    const meaningful = options.byKey && Object.hasOwn(options.byKey, key) ? options.byKey[key] : undefined;
    return meaningful
      ? fc.oneof({ weight: 3, arbitrary: meaningful }, { weight: 1, arbitrary: childValue(child) })
      : childValue(child);
  };
  const entries = Object.entries(properties).map(([key, child]) =>
    required.has(key)
      ? fieldValue(key, child).map((value) => [key, value] as const)
      : fc.option(
          fieldValue(key, child).map((value) => [key, value] as const),
          { nil: undefined, freq: 2 },
        ),
  );
  const patternValue = Object.values(schema.patternProperties ?? {})[0];
  const patterned = patternValue
    ? fc.array(
        fc.tuple(
          fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...options.knownStrings)),
          childValue(patternValue),
        ),
        {
          maxLength: 4,
        },
      )
    : fc.constant([] as [string, unknown][]);
  return fc.tuple(fc.tuple(...entries), patterned).map(([fixed, extra]) => {
    const result: Record<string, unknown> = {};
    for (const entry of [...fixed, ...extra]) {
      if (entry) defineOwn(result, entry[0], entry[1]);
    }
    return result;
  });
}

/** `__proto__` as an own, enumerable key: what JSON.parse would make of a hostile body, and what JSON.stringify sends. */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Values that satisfy the schema, leaning on its boundaries and on the seeded resources' ids. */
export function validValue(schema: JsonSchema, options: SchemaArbitraryOptions, depth = 0): Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = unionOf(schema);
  if (union) return fc.oneof(...union.map((branch) => validValue(branch, options, depth)));
  if (schema.allOf?.[0]) return validValue(schema.allOf[0], options, depth);
  switch (typeOf(schema)) {
    case 'string':
      return validString(schema, options);
    case 'integer':
      return validNumber(schema, true);
    case 'number':
      return validNumber(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.max(min, Math.min(schema.maxItems ?? 4, 4));
      return fc.array(validValue(schema.items ?? {}, options, depth + 1), { minLength: min, maxLength: max });
    }
    case 'object':
      return objectFrom(schema, (child) => validValue(child, options, depth + 1), options);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Anything but what the schema asks for. */
export function wrongTypeValue(): Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.constantFrom(1e308, -1e308, -0, 0.5, Number.MAX_SAFE_INTEGER + 2),
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.constant(HUGE_STRING),
    fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 3 }),
    fc.constant({}),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
  );
}

/** Values just outside the schema: one past each bound, a huge string, a choice that is not on the list. */
function outOfBoundsValue(schema: JsonSchema): Arbitrary<unknown> {
  if ('const' in schema || schema.enum || unionOf(schema)) {
    return fc.constantFrom('not-a-choice', 'QUERY', ' query', 'query\u0000');
  }
  switch (typeOf(schema)) {
    case 'string': {
      const tooLong = schema.maxLength === undefined ? HUGE_STRING : 'z'.repeat(schema.maxLength + 1);
      const tooShort = schema.minLength ? 'z'.repeat(schema.minLength - 1) : '';
      return fc.constantFrom(tooLong, tooShort, HUGE_STRING, ...HOSTILE_STRINGS);
    }
    case 'integer':
    case 'number': {
      const edges = [1e308, -1e308, -0, 0.5, Number.MAX_SAFE_INTEGER + 2, -(2 ** 53)];
      if (schema.minimum !== undefined) edges.push(schema.minimum - 1);
      if (schema.maximum !== undefined) edges.push(schema.maximum + 1);
      return fc.constantFrom(...edges);
    }
    case 'array': {
      const over = (schema.maxItems ?? 4) + 1;
      if (over > 1000) return fc.constant([]);
      return fc.constant(Array.from({ length: over }, () => 'x'));
    }
    default:
      return wrongTypeValue();
  }
}

/**
 * The fuzzer's main generator: mostly valid shapes whose parts are sometimes hostile, so requests get past
 * validation and into the handlers as often as they are stopped at the door. Objects also lose required keys and
 * gain unknown ones.
 */
export function hostileValue(schema: JsonSchema, options: SchemaArbitraryOptions, depth = 0): Arbitrary<unknown> {
  if (depth > 4) return validValue(schema, options, depth);
  const structured =
    typeOf(schema) === 'object' && !('const' in schema) && !unionOf(schema)
      ? hostileObject(schema, options, depth)
      : typeOf(schema) === 'array' && schema.items
        ? fc.array(hostileValue(schema.items, options, depth + 1), {
            minLength: schema.minItems ?? 0,
            maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
          })
        : validValue(schema, options, depth);
  return fc.oneof(
    { weight: 12, arbitrary: structured },
    { weight: 1, arbitrary: wrongTypeValue() },
    { weight: 2, arbitrary: outOfBoundsValue(schema) },
  );
}

/** One time in six: often enough to be tried everywhere, rare enough that most objects still pass validation. */
function sometimes<T>(arbitrary: Arbitrary<T>): Arbitrary<T | null> {
  return fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}

function hostileObject(schema: JsonSchema, options: SchemaArbitraryOptions, depth: number) {
  const child = (part: JsonSchema) =>
    fc.oneof(
      { weight: 4, arbitrary: validValue(part, options, depth + 1) },
      { weight: 1, arbitrary: hostileValue(part, options, depth + 1) },
    );
  const required = schema.required ?? [];
  return fc
    .tuple(
      objectFrom(schema, child, options),
      sometimes(fc.constantFrom(...(required.length > 0 ? required : ['-']))),
      sometimes(fc.tuple(fc.constantFrom(...EXTRA_KEYS), wrongTypeValue())),
    )
    .map(([value, dropKey, extra]) => {
      if (dropKey !== null) delete value[dropKey];
      if (extra !== null) defineOwn(value, extra[0], extra[1]);
      return value;
    });
}
