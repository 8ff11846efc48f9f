import { type Static, Type } from 'typebox';

/**
 * The one error shape of the API (DESIGN.md section 5). Every non-2xx answer has it, including 404 and validation
 * errors, so a client needs a single code path to show a problem where the admin is looking.
 */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable, machine-readable code such as VALIDATION_FAILED.' }),
      message: Type.String({ description: 'What went wrong and what to do about it, written for a person.' }),
      details: Type.Optional(Type.Unknown({ description: 'Structured context, for example the invalid fields.' })),
    }),
  },
  { title: 'Error', description: 'The shape of every error answer.' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** One invalid input, as listed in `details` of a VALIDATION_FAILED error. */
export const ValidationIssue = Type.Object({
  location: Type.Union([
    Type.Literal('body'),
    Type.Literal('params'),
    Type.Literal('querystring'),
    Type.Literal('headers'),
  ]),
  field: Type.String({
    description: 'Path of the field, such as "name" or "fieldMap/0/target"; empty for the whole input.',
  }),
  message: Type.String(),
});
export type ValidationIssue = Static<typeof ValidationIssue>;

/** Codes shared by every route. Feature-specific codes live with their feature's schemas. */
export const CommonErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  NotFound: 'NOT_FOUND',
  RouteNotFound: 'ROUTE_NOT_FOUND',
  Unauthorized: 'UNAUTHORIZED',
  Forbidden: 'FORBIDDEN',
  Conflict: 'CONFLICT',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  RateLimited: 'RATE_LIMITED',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  /** SQLite's write lock is held elsewhere (SQLITE_BUSY / SQLITE_LOCKED): 503, try again. */
  DatabaseBusy: 'DATABASE_BUSY',
  /** The disk or the database's size limit is reached (SQLITE_FULL): 503, free space. */
  DatabaseFull: 'DATABASE_FULL',
  /** The database file could not be read or written (SQLITE_IOERR): 503. */
  DatabaseUnavailable: 'DATABASE_UNAVAILABLE',
  Internal: 'INTERNAL_ERROR',
} as const;
export type CommonErrorCode = (typeof CommonErrorCode)[keyof typeof CommonErrorCode];
