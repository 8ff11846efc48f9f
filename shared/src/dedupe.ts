import { type Static, Type } from 'typebox';

/**
 * Duplicate Check: scenarios (which fields to compare, how, how much each counts, from what score two records are
 * duplicates), jobs that run them against a connected org, and the groups they find, explained field by field.
 */

export const MATCH_METHODS = [
  'exact',
  'exact-any-order',
  'jaro-winkler',
  'edit-distance',
  'initials',
  'name-variant',
  'phonetic',
  'email',
  'phone',
] as const;
export type MatchMethod = (typeof MATCH_METHODS)[number];

/** What each method does, for pickers and error messages. */
export const MATCH_METHOD_LABELS: Readonly<Record<MatchMethod, string>> = {
  exact: 'Exact (case and spacing ignored)',
  'exact-any-order': 'Exact, words in any order',
  'jaro-winkler': 'Jaro-Winkler (typos, best for short names)',
  'edit-distance': 'Edit distance (typos in longer text)',
  initials: 'Initials (J matches John)',
  'name-variant': 'Name variant (Bill matches William; typos scored by Jaro-Winkler)',
  phonetic: 'Sounds alike (Double Metaphone)',
  email: 'E-mail, normalised (case, dots and +tags in Gmail addresses)',
  phone: 'Phone, normalised (digits only, country code and formatting ignored)',
};

/** Lead-Contact: each Lead is compared with the Contacts (a Lead that is already a Contact). */
export const DcObject = Type.Union([
  Type.Literal('Contact'),
  Type.Literal('Lead'),
  Type.Literal('Account'),
  Type.Literal('Lead-Contact'),
]);
export type DcObject = Static<typeof DcObject>;

/** The objects as the admin reads them, in messages and headings. */
export const DC_OBJECT_LABELS: Readonly<Record<DcObject, string>> = {
  Contact: 'Contacts',
  Lead: 'Leads',
  Account: 'Accounts',
  'Lead-Contact': 'Leads against Contacts',
};

export const DEFAULT_DC_THRESHOLD = 75;

export const ScenarioRule = Type.Object(
  {
    field: Type.String({
      minLength: 1,
      maxLength: 80,
      description: 'API name of the field (for Lead-Contact: the Lead field).',
    }),
    contactField: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 80,
        description: 'Lead-Contact only: the Contact field compared with `field` (default: the same name).',
      }),
    ),
    // A string here, checked by the service: an unknown method gets a 400 that names it and lists the methods.
    method: Type.String({ minLength: 1, maxLength: 40, description: `One of: ${MATCH_METHODS.join(', ')}.` }),
    weight: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, description: 'How much this field counts (default 10).' }),
    ),
  },
  { additionalProperties: false },
);
export type ScenarioRule = Static<typeof ScenarioRule>;

export const Scenario = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    object: DcObject,
    rules: Type.Array(
      Type.Object({
        field: Type.String(),
        contactField: Type.Optional(Type.String()),
        method: Type.String(),
        weight: Type.Integer(),
      }),
    ),
    threshold: Type.Number({ minimum: 0, maximum: 100 }),
    /** Shipped with OrgLink: read-only, always available; copy it to change it. */
    builtIn: Type.Boolean(),
    createdAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { title: 'DcScenario' },
);
export type Scenario = Static<typeof Scenario>;
export const ScenarioList = Type.Object({ scenarios: Type.Array(Scenario) });
export type ScenarioList = Static<typeof ScenarioList>;

export const ScenarioListQuery = Type.Object({ object: Type.Optional(DcObject) }, { additionalProperties: false });

export const CreateScenarioRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80 }),
    object: DcObject,
    rules: Type.Array(ScenarioRule, { minItems: 1, maxItems: 20 }),
    // Range checked by the service, so the 400 says what a threshold is.
    threshold: Type.Optional(Type.Number({ description: 'Percentage from 0 to 100 (default 75).' })),
  },
  { additionalProperties: false },
);
export type CreateScenarioRequest = Static<typeof CreateScenarioRequest>;

export const UpdateScenarioRequest = Type.Partial(Type.Omit(CreateScenarioRequest, ['object']), {
  additionalProperties: false,
});
export type UpdateScenarioRequest = Static<typeof UpdateScenarioRequest>;

/** `POST /api/dc/jobs`: run a Duplicate Check now, and/or define it on a schedule. */
export const CreateDcJobRequest = Type.Object(
  {
    connectionId: Type.String({ minLength: 1, maxLength: 64 }),
    object: DcObject,
    scenarioIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        minItems: 1,
        maxItems: 10,
        description:
          "Scenarios to apply (a pair is a duplicate when any of them matches); default: the object's built-in one.",
      }),
    ),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    schedule: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 120,
        description: 'Five-field cron in UTC. Without it the job runs once, now.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateDcJobRequest = Static<typeof CreateDcJobRequest>;

export const DcFieldScore = Type.Object({
  field: Type.String(),
  /** Lead-Contact: the Contact field on the other side. */
  contactField: Type.Optional(Type.String()),
  method: Type.String(),
  weight: Type.Integer(),
  /** 0-100, or null when either side is blank (the field then does not count). */
  score: Type.Union([Type.Number(), Type.Null()]),
  /** Why, in words: "name variant: Bill = William", "1 edit in 9 letters". */
  reason: Type.String(),
});
export type DcFieldScore = Static<typeof DcFieldScore>;

export const DcPair = Type.Object({
  id: Type.String(),
  recordA: Type.String(),
  recordB: Type.String(),
  score: Type.Number(),
  scenarioId: Type.String(),
  scenarioName: Type.String(),
  dismissed: Type.Boolean(),
  fields: Type.Array(DcFieldScore),
});
export type DcPair = Static<typeof DcPair>;

export const DcRecord = Type.Object({
  id: Type.String(),
  object: Type.String(),
  name: Type.String(),
  /** The compared fields' values as read (for the side-by-side view). */
  values: Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()])),
});
export type DcRecord = Static<typeof DcRecord>;

export const DcGroup = Type.Object({
  id: Type.String(),
  /** The average score of the group's matching pairs. */
  score: Type.Number(),
  records: Type.Array(DcRecord),
  pairs: Type.Array(DcPair),
});
export type DcGroup = Static<typeof DcGroup>;

export const DcRunSummary = Type.Object({
  object: DcObject,
  recordsRead: Type.Integer(),
  /** Candidate pairs scored (blocking keeps this far below n(n-1)/2). */
  pairsScored: Type.Integer(),
  pairsMatched: Type.Integer(),
  groups: Type.Integer(),
  /** Pairs skipped because an admin dismissed them before. */
  pairsDismissed: Type.Integer(),
  scenarios: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), threshold: Type.Number() })),
  /** The fields compared (both objects' for Lead-Contact): the columns of the side-by-side view and the export. */
  fields: Type.Optional(Type.Array(Type.String())),
});
export type DcRunSummary = Static<typeof DcRunSummary>;

export const DcGroupsQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 9, pattern: '^[0-9]+$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);

export const DcGroupList = Type.Object({
  runId: Type.String(),
  summary: Type.Union([DcRunSummary, Type.Null()]),
  groups: Type.Array(DcGroup),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type DcGroupList = Static<typeof DcGroupList>;

export const DcRecordMatchesQuery = Type.Object(
  { connection: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

/** For the badge on a Salesforce record page: the record's open matches from the latest finished run. */
export const DcRecordMatches = Type.Object({
  recordId: Type.String(),
  runId: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  matches: Type.Array(
    Type.Object({
      pairId: Type.String(),
      recordId: Type.String(),
      object: Type.String(),
      name: Type.String(),
      score: Type.Number(),
      /** The fields that scored highest, in words. */
      reasons: Type.Array(Type.String()),
    }),
  ),
});
export type DcRecordMatches = Static<typeof DcRecordMatches>;

export const DcErrorCode = {
  ScenarioNotFound: 'DC_SCENARIO_NOT_FOUND',
  ScenarioInvalid: 'DC_SCENARIO_INVALID',
  ScenarioReadOnly: 'DC_SCENARIO_READ_ONLY',
  ScenarioInUse: 'DC_SCENARIO_IN_USE',
  PairNotFound: 'DC_PAIR_NOT_FOUND',
  NotDuplicateCheckRun: 'DC_NOT_A_DUPLICATE_CHECK_RUN',
  ObjectNotOffered: 'DC_OBJECT_NOT_OFFERED',
  TooManyRecords: 'DC_TOO_MANY_RECORDS',
} as const;
