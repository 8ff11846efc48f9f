import { randomUUID } from 'node:crypto';
import { jsonResponse, type SimResponse } from '../http.ts';

/** An Entra protocol error: `error` is the OAuth code, `code` the AADSTS number (crm-apis.md 6.5). */
export class EntraError extends Error {
  readonly status: number;
  readonly error: string;
  readonly code: number;
  readonly suberror: string | undefined;

  constructor(status: number, error: string, code: number, message: string, suberror?: string) {
    super(message);
    this.status = status;
    this.error = error;
    this.code = code;
    this.suberror = suberror;
  }

  get description(): string {
    return `AADSTS${this.code}: ${this.message}`;
  }
}

/** `2026-11-21 19:59:00Z`: the timestamp format Entra uses in error bodies. */
function entraTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function entraErrorResponse(
  error: EntraError,
  options: { nowMs: number; correlationId?: string | undefined; authorityHost: string },
): SimResponse {
  const traceId = randomUUID();
  const correlationId = options.correlationId ?? randomUUID();
  const timestamp = entraTimestamp(options.nowMs);
  const body: Record<string, unknown> = {
    error: error.error,
    error_description: `${error.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [error.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://${options.authorityHost}/error?code=${error.code}`,
  };
  if (error.suberror) body.suberror = error.suberror;
  return jsonResponse(error.status, body, {
    'cache-control': 'no-store, no-cache',
    pragma: 'no-cache',
    'x-ms-request-id': traceId,
    'client-request-id': correlationId,
  });
}

export const entraErrors = {
  tenantNotFound: (tenant: string, authorityHost: string) =>
    new EntraError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant. Authority: ${authorityHost}`,
    ),
  missingParameter: (name: string) =>
    new EntraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  missingScope: () =>
    new EntraError(
      400,
      'invalid_request',
      90014,
      "The required field 'scope' is missing from the credential. Ensure that you have all the necessary parameters for the login request.",
    ),
  unknownClient: (clientId: string, tenantName: string) =>
    new EntraError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  missingSecret: () =>
    new EntraError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  invalidSecret: (clientId: string) =>
    new EntraError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  unsupportedGrant: (grant: string) =>
    new EntraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`),
  malformedGrant: () =>
    new EntraError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'),
  expiredCode: () =>
    new EntraError(
      400,
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    ),
  redeemedCode: () =>
    new EntraError(
      400,
      'invalid_grant',
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    ),
  redirectMismatch: () =>
    new EntraError(
      400,
      'invalid_grant',
      70000,
      "The provided value for the 'redirect_uri' is not valid. The value must exactly match the redirect URI used to obtain the authorization code.",
    ),
  pkceMismatch: () =>
    new EntraError(
      400,
      'invalid_grant',
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    ),
  grantOfOtherClient: () => new EntraError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.'),
  expiredRefreshToken: (issued: string) =>
    new EntraError(
      400,
      'invalid_grant',
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${issued} and was inactive for 90.00:00:00.`,
      'bad_token',
    ),
  revokedRefreshToken: (issued: string, validFrom: string) =>
    new EntraError(
      400,
      'invalid_grant',
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${issued}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${validFrom}'.`,
      'bad_token',
    ),
  disabledUser: () =>
    new EntraError(
      400,
      'invalid_grant',
      50057,
      'The user account is disabled. The account has been disabled by an administrator.',
    ),
  multipleResources: () =>
    new EntraError(
      400,
      'invalid_request',
      28000,
      'Provided value for the input parameter scope is not valid because it contains more than one resource. Scope openid profile offline_access is not valid.',
    ),
  unknownResource: (resource: string, tenantName: string) =>
    new EntraError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  invalidScope: (scope: string) =>
    new EntraError(
      400,
      'invalid_scope',
      70011,
      `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  throttled: (seconds: number) =>
    new EntraError(
      429,
      'temporarily_unavailable',
      90055,
      `The request is throttled temporarily. Please try after ${seconds} seconds.`,
    ),
  unavailable: () =>
    new EntraError(503, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.'),
};
