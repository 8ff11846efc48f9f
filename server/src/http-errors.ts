/**
 * An error a route or service throws on purpose. The error handler turns it into the API's one error shape with
 * this status, so services never touch `reply`.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly statusCode: number;
  readonly code: string;
  readonly details: unknown;

  constructor(statusCode: number, code: string, message: string, details?: unknown) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
    this.details = details;
  }
}

/** A start-up failure with a one-line explanation for the admin; the runner prints it without a stack trace. */
export class StartupError extends Error {
  override name = 'StartupError';
}
