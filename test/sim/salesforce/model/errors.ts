/** A per-record error, in the sObject Collections shape (`statusCode`, gotcha 10). */
export interface SaveError {
  statusCode: string;
  message: string;
  fields: string[];
}

export function saveError(statusCode: string, message: string, fields: string[] = []): SaveError {
  return { statusCode, message, fields };
}

/** One entry of a top-level REST error body: `[{"message","errorCode","fields"?}]`. */
export interface ApiErrorEntry {
  message: string;
  errorCode: string;
  fields?: string[];
}

/**
 * A failure of the whole request (bad JSON, unknown field, malformed id in the URL...). Route handlers throw it and
 * the app's error handler writes `status` and `[entry]` as `application/json;charset=UTF-8`.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly entries: ApiErrorEntry[];

  constructor(status: number, errorCode: string, message: string, fields?: string[]) {
    super(message);
    this.status = status;
    this.entries = [{ message, errorCode, ...(fields ? { fields } : {}) }];
  }

  static fromSave(status: number, error: SaveError): ApiError {
    return new ApiError(status, error.statusCode, error.message, error.fields);
  }
}

export const NOT_FOUND_MESSAGE = 'The requested resource does not exist';

export function notFound(): ApiError {
  return new ApiError(404, 'NOT_FOUND', NOT_FOUND_MESSAGE);
}
