import { CommonErrorCode, type ErrorBody, type ValidationIssue } from '@orglink/shared';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { databaseUnavailable } from '../db/database-errors.ts';
import { ApiError } from '../http-errors.ts';

type AjvError = NonNullable<FastifyError['validation']>[number];
type ValidationLocation = ValidationIssue['location'];

const LOCATION_NAMES: Record<ValidationLocation, string> = {
  body: 'request body',
  params: 'URL path',
  querystring: 'query string',
  headers: 'request headers',
};

/** Ajv speaks of JSON pointers and keywords; an admin wants the field's name and what it should be. */
export function toValidationIssue(location: ValidationLocation, error: AjvError): ValidationIssue {
  const base = error.instancePath.replace(/^\//, '');
  const params = error.params as Record<string, unknown>;
  const join = (child: unknown) => (base ? `${base}/${String(child)}` : String(child));
  switch (error.keyword) {
    case 'required':
      return { location, field: join(params.missingProperty), message: 'is required' };
    case 'additionalProperties':
      return { location, field: join(params.additionalProperty), message: 'is not a known field; remove it' };
    case 'enum':
      return { location, field: base, message: `must be one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    default:
      return { location, field: base, message: error.message ?? 'is invalid' };
  }
}

function describeIssues(location: ValidationLocation, issues: ValidationIssue[]): string {
  const listed = issues
    .slice(0, 3)
    .map((issue) => (issue.field ? `${issue.field} ${issue.message}` : issue.message))
    .join('; ');
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return `The ${LOCATION_NAMES[location]} is invalid: ${listed}${more}. Correct it and send the request again.`;
}

/** Fastify's own 4xx errors (bad JSON, wrong content type, body too large) mapped to stable codes and clear words. */
function fromFastifyClientError(error: FastifyError): ErrorBody['error'] {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        code: 'INVALID_JSON',
        message: `The request body is not valid JSON (${error.message}). Send a JSON object.`,
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: CommonErrorCode.PayloadTooLarge, message: 'The request body is larger than this route accepts.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        code: CommonErrorCode.UnsupportedMediaType,
        message: 'This content type is not accepted here. Send the body as application/json.',
      };
    default:
      return {
        code: error.code?.startsWith('FST_') ? 'BAD_REQUEST' : (error.code ?? 'BAD_REQUEST'),
        message: error.message,
      };
  }
}

function send(reply: FastifyReply, statusCode: number, body: ErrorBody['error']) {
  return reply.status(statusCode).send({ error: body } satisfies ErrorBody);
}

/** A Fastify 4xx in the API's shape; anything else is a bug: logged, and a 500 that points at the log line. */
function answerUnexpected(error: FastifyError, request: FastifyRequest, reply: FastifyReply, logMessage: string) {
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return send(reply, status, fromFastifyClientError(error));
  // The logger's `err` serializer drops query parameters (logging.ts), here as everywhere else.
  request.log.error({ err: error }, logMessage);
  return send(reply, 500, {
    code: CommonErrorCode.Internal,
    message: `Something went wrong on the OrgLink server. This is a bug; the details are in the server log under request ${request.id}.`,
  });
}

/**
 * Fastify's `frameworkErrors`: failures met before routing (a URL with broken percent-encoding), which never reach
 * the error handler below. Without it they would answer in Fastify's own shape instead of the API's.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_BAD_URL') {
    return send(reply, 400, {
      code: 'BAD_URL',
      message: 'The URL is not valid (a broken %-escape?). Percent-encode the path and query, then send it again.',
    });
  }
  return answerUnexpected(error, request, reply, 'unhandled framework error');
}

/**
 * One error shape for every failure (DESIGN.md section 5). Registered without encapsulation so that it also
 * covers routes added by later plugins. A 500 never leaks internals; it points at the log line instead.
 */
export const errorHandlingPlugin = fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.validation) {
        const location = (error.validationContext ?? 'body') as ValidationLocation;
        const issues = error.validation.map((item) => toValidationIssue(location, item));
        return send(reply, 400, {
          code: CommonErrorCode.ValidationFailed,
          message: describeIssues(location, issues),
          details: { issues },
        });
      }
      if (error instanceof ApiError) {
        return send(reply, error.statusCode, {
          code: error.code,
          message: error.message,
          ...(error.details === undefined ? {} : { details: error.details }),
        });
      }
      const database = databaseUnavailable(error);
      if (database) {
        // Only the SQLite code: drizzle's wrapper carries the statement's parameters, which may hold secrets.
        request.log.warn({ sqliteCode: database.sqliteCode }, 'database unavailable');
        return send(reply, 503, {
          code: database.code,
          message: `${database.problem} Nothing was saved; ${database.advice}`,
        });
      }
      return answerUnexpected(error, request, reply, 'unhandled error');
    });

    app.setNotFoundHandler((request, reply) =>
      send(reply, 404, {
        code: CommonErrorCode.RouteNotFound,
        message: `There is no ${request.method} ${request.url.split('?')[0]} on this server. The API reference is at /docs.`,
      }),
    );
  },
  { name: 'error-handling' },
);
