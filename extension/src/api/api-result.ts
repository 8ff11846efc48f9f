import type { ErrorBody } from '@orglink/shared';

/** The `error` object of the API's one error shape: code, message written for a person, optional details. */
export type ApiErrorDetail = ErrorBody['error'];

/**
 * A failed call, keeping the server's `{ error: { code, message } }` shape so the page shows the server's own words.
 * `status` is the HTTP status, or 0 when no HTTP answer came (server down, not signed in, background gone).
 */
export interface ApiFailure {
  ok: false;
  status: number;
  error: ApiErrorDetail;
}

/**
 * What the background answers a page for every API call. A result rather than a thrown error because messages
 * between extension contexts serialise thrown errors down to their text, losing the code and the status.
 */
export type ApiResult<T> = { ok: true; data: T } | ApiFailure;

/** Failures the extension itself detects, named like the server's codes so pages handle both the same way. */
export const ClientErrorCode = {
  NotSignedIn: 'NOT_SIGNED_IN',
  ServerUnreachable: 'SERVER_UNREACHABLE',
  UnexpectedResponse: 'UNEXPECTED_RESPONSE',
  InvalidInput: 'INVALID_INPUT',
  BackgroundUnavailable: 'BACKGROUND_UNAVAILABLE',
  WindowFailed: 'LOGIN_WINDOW_FAILED',
} as const;

export function succeeded<T>(data: T): ApiResult<T> {
  return { ok: true, data };
}

export function failed(status: number, code: string, message: string, details?: unknown): ApiFailure {
  return { ok: false, status, error: details === undefined ? { code, message } : { code, message, details } };
}

export function invalidInput(message: string): ApiFailure {
  return failed(0, ClientErrorCode.InvalidInput, message);
}

export function notSignedIn(): ApiFailure {
  return failed(
    0,
    ClientErrorCode.NotSignedIn,
    'You are not signed in to OrgLink. Redeem an invite in Settings to join your team.',
  );
}

/** A 401 or a missing token: either way the page should offer the way to sign in. */
export function isSignedOutFailure(failure: ApiFailure): boolean {
  return failure.status === 401 || failure.error.code === ClientErrorCode.NotSignedIn;
}
