import { type Static, Type } from 'typebox';

export const CrmKind = Type.Union([Type.Literal('salesforce'), Type.Literal('dynamics')]);
export type CrmKind = Static<typeof CrmKind>;

/** Salesforce: production or sandbox org. Dynamics 365: the cloud the environment lives in. */
export const SalesforceEnvironment = Type.Union([Type.Literal('production'), Type.Literal('sandbox')]);
export const DynamicsCloud = Type.Union(
  [Type.Literal('public'), Type.Literal('gcc'), Type.Literal('gcc-high'), Type.Literal('dod'), Type.Literal('china')],
  { description: 'Public Cloud (Default), GCC, GCC High, DoD or China.' },
);
export type DynamicsCloud = Static<typeof DynamicsCloud>;
export const ConnectionEnvironment = Type.Union([SalesforceEnvironment, DynamicsCloud]);
export type ConnectionEnvironment = Static<typeof ConnectionEnvironment>;

export const DYNAMICS_CLOUD_LABELS: Record<DynamicsCloud, string> = {
  public: 'Public Cloud (Default)',
  gcc: 'GCC',
  'gcc-high': 'GCC High',
  dod: 'DoD',
  china: 'China',
};

export const ConnectionStatus = Type.Union(
  [Type.Literal('pending'), Type.Literal('active'), Type.Literal('paused'), Type.Literal('inactive')],
  {
    description:
      'pending: created, sign-in not finished; active; paused: no runs start; inactive: "Connection inactive", the tokens no longer work.',
  },
);
export type ConnectionStatus = Static<typeof ConnectionStatus>;

export const CONNECTION_STATUS_LABELS: Record<ConnectionStatus, string> = {
  pending: 'Waiting for sign-in',
  active: 'Active',
  paused: 'Paused',
  inactive: 'Connection inactive',
};

/** Names appear in URLs and job history; Plauti and Jitterbit forbid these two characters, and so do we. */
export const CONNECTION_NAME_FORBIDDEN = /[/:]/;
export const ConnectionName = Type.String({
  minLength: 1,
  maxLength: 80,
  description: 'Unique in the team; must not contain / or :.',
});

/**
 * How OrgLink logs in to the org: oauth (browser sign-in), password (classic: username, password and security token)
 * or client-credentials (a connected app's consumer key and secret at the org's My Domain).
 */
export const ConnectionAuthMethod = Type.Union([
  Type.Literal('oauth'),
  Type.Literal('password'),
  Type.Literal('client-credentials'),
]);
export type ConnectionAuthMethod = Static<typeof ConnectionAuthMethod>;

export const Connection = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    kind: CrmKind,
    environment: ConnectionEnvironment,
    /** My Domain login host of a Salesforce connection, such as acme.my.salesforce.com. */
    loginHost: Type.Union([Type.String(), Type.Null()]),
    /** Salesforce Org ID (18 characters) or Dynamics environment ID; null until the first sign-in. */
    orgId: Type.Union([Type.String(), Type.Null()]),
    /** Salesforce organization name or Dynamics environment friendly name. */
    orgName: Type.Union([Type.String(), Type.Null()]),
    instanceUrl: Type.Union([Type.String(), Type.Null()]),
    status: ConnectionStatus,
    statusReason: Type.Union([Type.String(), Type.Null()]),
    autoRunDuplicateCheck: Type.Boolean(),
    /** A sandbox connection linked to the team's production connection starts from its settings. */
    linkedProductionId: Type.Union([Type.String(), Type.Null()]),
    createdBy: Type.String({ description: 'Display name of who created it.' }),
    createdAt: Type.String({ format: 'date-time' }),
    dpaAcceptedBy: Type.Union([Type.String(), Type.Null()]),
    dpaAcceptedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    /** A refreshed sandbox's new Org ID: the connection stays inactive until an admin confirms the change. */
    pendingOrgId: Type.Optional(Type.String()),
    /** Set on deleted connections (listed with ?includeDeleted=true), whose history stays. */
    deletedAt: Type.Optional(Type.String({ format: 'date-time' })),
    /** Always sent by the server; optional so that older clients' fixtures stay valid. */
    authMethod: Type.Optional(ConnectionAuthMethod),
  },
  { title: 'Connection' },
);
export type Connection = Static<typeof Connection>;

export const ConnectionList = Type.Object({ connections: Type.Array(Connection) });
export type ConnectionList = Static<typeof ConnectionList>;

export const ConnectionListQuery = Type.Object(
  { includeDeleted: Type.Optional(Type.Boolean({ description: 'Also list deleted connections (history).' })) },
  { additionalProperties: false },
);

/** Error codes of the connection routes and the OAuth pages (besides the common ones). */
export const ConnectionErrorCode = {
  NameInvalid: 'CONNECTION_NAME_INVALID',
  NameTaken: 'CONNECTION_NAME_TAKEN',
  EnvironmentInvalid: 'CONNECTION_ENVIRONMENT_INVALID',
  LoginHostInvalid: 'CONNECTION_LOGIN_HOST_INVALID',
  NotFound: 'CONNECTION_NOT_FOUND',
  Deleted: 'CONNECTION_DELETED',
  StateConflict: 'CONNECTION_STATE_CONFLICT',
  NotAuthorized: 'CONNECTION_NOT_AUTHORIZED',
  LinkInvalid: 'CONNECTION_LINK_INVALID',
  OrgConnectedElsewhere: 'ORG_ALREADY_CONNECTED',
  CrmNotConfigured: 'CRM_NOT_CONFIGURED',
  SandboxUnreachable: 'SANDBOX_UNREACHABLE',
  /** Salesforce refused a classic login (password or client credentials): 422 with Salesforce's own words. */
  LoginRefused: 'CRM_LOGIN_REFUSED',
  /** A classic login change is missing the secrets it needs (such as the password after a new username). */
  CredentialsRequired: 'CONNECTION_CREDENTIALS_REQUIRED',
  DpaNotAccepted: 'DPA_NOT_ACCEPTED',
  /** The operation applies to another kind of connection (such as re-authorizing a password connection). */
  AuthMethodMismatch: 'CONNECTION_AUTH_METHOD_MISMATCH',
  /** Salesforce could not be reached (network, timeout, an answer that is not Salesforce's): try again later. */
  CrmUnreachable: 'CRM_UNREACHABLE',
} as const;

export const CreateConnectionRequest = Type.Object(
  {
    name: ConnectionName,
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    kind: CrmKind,
    environment: ConnectionEnvironment,
    loginHost: Type.Optional(
      Type.String({ maxLength: 255, description: 'Salesforce My Domain, such as acme.my.salesforce.com (optional).' }),
    ),
  },
  { additionalProperties: false },
);
export type CreateConnectionRequest = Static<typeof CreateConnectionRequest>;

export const UpdateConnectionRequest = Type.Object(
  {
    name: Type.Optional(ConnectionName),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    autoRunDuplicateCheck: Type.Optional(Type.Boolean()),
    // null first: with type coercion on, Ajv would turn a JSON null into "" if the string branch came first.
    linkedProductionId: Type.Optional(Type.Union([Type.Null(), Type.String()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateConnectionRequest = Static<typeof UpdateConnectionRequest>;

/** Where to send the admin to sign in to the CRM: open it in a popup window. */
export const AuthorizeResponse = Type.Object({
  loginUrl: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type AuthorizeResponse = Static<typeof AuthorizeResponse>;

export const CreateConnectionResponse = Type.Object({ connection: Connection, loginUrl: Type.String() });
export type CreateConnectionResponse = Static<typeof CreateConnectionResponse>;

export const ConnectionTestResult = Type.Object({
  ok: Type.Boolean(),
  latencyMs: Type.Integer({ minimum: 0 }),
  message: Type.String(),
  connection: Connection,
});
export type ConnectionTestResult = Static<typeof ConnectionTestResult>;

/**
 * `GET /api/connections/lookup?orgId=`: the caller's connection to the org a CRM page belongs to (the in-page
 * badge). orgId is a Salesforce Org ID (15 characters from the sid cookie, or 18) or a Dynamics organization id.
 */
export const ConnectionLookupQuery = Type.Object(
  { orgId: Type.String({ minLength: 15, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }) },
  { additionalProperties: false },
);
export const ConnectionLookupResponse = Type.Object({ connection: Type.Union([Connection, Type.Null()]) });
export type ConnectionLookupResponse = Static<typeof ConnectionLookupResponse>;

const Secret = (what: string) => Type.String({ minLength: 1, maxLength: 255, description: `${what}; never returned.` });

/** Classic login: username + password + security token. OrgLink logs in before anything is stored. */
export const CreatePasswordConnectionRequest = Type.Object(
  {
    authMethod: Type.Literal('password'),
    name: ConnectionName,
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    loginHost: Type.Optional(
      Type.String({
        maxLength: 255,
        description:
          'Server host: https://login.salesforce.com (default), https://test.salesforce.com, or a My Domain such as https://acme.my.salesforce.com.',
      }),
    ),
    sandbox: Type.Optional(Type.Boolean({ description: 'Log in at https://test.salesforce.com (a sandbox org).' })),
    username: Type.String({ minLength: 1, maxLength: 255 }),
    password: Secret("The user's password"),
    securityToken: Type.String({
      maxLength: 255,
      description:
        'The security token Salesforce e-mails to the user; empty only when the org trusts this server by IP.',
    }),
    dpaAccepted: Type.Boolean({ description: 'The admin accepted the Data Processing Agreement (must be true).' }),
  },
  { additionalProperties: false },
);
export type CreatePasswordConnectionRequest = Static<typeof CreatePasswordConnectionRequest>;

/** OAuth 2.0 client credentials: the org's My Domain and a connected app's consumer key and secret. */
export const CreateClientCredentialsConnectionRequest = Type.Object(
  {
    authMethod: Type.Literal('client-credentials'),
    name: ConnectionName,
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    myDomain: Type.String({ minLength: 1, maxLength: 255, description: 'Such as https://acme.my.salesforce.com.' }),
    consumerKey: Type.String({ minLength: 1, maxLength: 255 }),
    consumerSecret: Secret("The connected app's consumer secret"),
    dpaAccepted: Type.Boolean({ description: 'The admin accepted the Data Processing Agreement (must be true).' }),
  },
  { additionalProperties: false },
);
export type CreateClientCredentialsConnectionRequest = Static<typeof CreateClientCredentialsConnectionRequest>;

/** `POST /api/connections/classic`: log in, then store an active connection (no browser step). */
export const CreateClassicConnectionRequest = Type.Union([
  CreatePasswordConnectionRequest,
  CreateClientCredentialsConnectionRequest,
]);
export type CreateClassicConnectionRequest = Static<typeof CreateClassicConnectionRequest>;

/** `POST /api/connections/classic/test`: the same fields, without name and DPA; nothing is stored. */
export const TestClassicLoginRequest = Type.Union([
  Type.Omit(CreatePasswordConnectionRequest, ['name', 'description', 'dpaAccepted'], { additionalProperties: false }),
  Type.Omit(CreateClientCredentialsConnectionRequest, ['name', 'description', 'dpaAccepted'], {
    additionalProperties: false,
  }),
]);
export type TestClassicLoginRequest = Static<typeof TestClassicLoginRequest>;

export const TestClassicLoginResponse = Type.Object({
  ok: Type.Literal(true),
  latencyMs: Type.Integer({ minimum: 0 }),
  message: Type.String(),
  orgId: Type.String(),
  orgName: Type.Union([Type.String(), Type.Null()]),
});
export type TestClassicLoginResponse = Static<typeof TestClassicLoginResponse>;

/**
 * `PATCH /api/connections/:id/classic`: change the login of a password or client-credentials connection. A new
 * loginHost or username needs password and securityToken again; OrgLink logs in before saving anything.
 */
export const UpdateClassicLoginRequest = Type.Object(
  {
    loginHost: Type.Optional(Type.String({ maxLength: 255 })),
    sandbox: Type.Optional(Type.Boolean()),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    password: Type.Optional(Secret("The user's password")),
    securityToken: Type.Optional(Type.String({ maxLength: 255 })),
    myDomain: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    consumerKey: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    consumerSecret: Type.Optional(Secret("The connected app's consumer secret")),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateClassicLoginRequest = Static<typeof UpdateClassicLoginRequest>;

/** `GET /api/connections/:id/classic`: what the edit form shows; secrets are never returned. */
export const ClassicLoginDetails = Type.Union([
  Type.Object({
    authMethod: Type.Literal('password'),
    serverHost: Type.String({
      description: 'https://login.salesforce.com, https://test.salesforce.com or the My Domain.',
    }),
    sandbox: Type.Boolean(),
    username: Type.String(),
  }),
  Type.Object({
    authMethod: Type.Literal('client-credentials'),
    myDomain: Type.String(),
    consumerKey: Type.String(),
  }),
]);
export type ClassicLoginDetails = Static<typeof ClassicLoginDetails>;
