import { randomUUID } from 'node:crypto';
import type { SimResponse } from '../http.ts';
import { type DataverseError, errorBody } from './errors.ts';

/** What Dataverse sends with every JSON payload. */
export const ODATA_JSON =
  'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
/** Error bodies carry the shorter media type (execute-batch-operations-using-web-api.md shows it verbatim). */
export const ODATA_ERROR_JSON = 'application/json; odata.metadata=minimal';

export function odataJson(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { 'odata-version': '4.0', 'content-type': ODATA_JSON, ...headers },
    body: JSON.stringify(body),
  };
}

export function odataEmpty(status: number, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'odata-version': '4.0', ...headers }, body: '' };
}

export function odataError(error: DataverseError, includeAnnotations: boolean): SimResponse {
  return {
    status: error.status,
    headers: { 'odata-version': '4.0', 'content-type': ODATA_ERROR_JSON, req_id: randomUUID(), ...error.headers },
    body: JSON.stringify(errorBody(error, includeAnnotations)),
  };
}
