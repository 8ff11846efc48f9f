/**
 * A Dataverse Web API error: HTTP status plus the `{"error":{"code","message"}}` body (crm-apis.md 6.4). Codes are the
 * platform's hex error codes; messages follow the real wording where it is documented.
 */
export class DataverseError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** Help links carry the code without `0x`, as in `Microsoft.Crm.CrmException:80040217`. */
export function errorBody(error: DataverseError, includeAnnotations: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { code: error.code, message: error.message };
  if (includeAnnotations) {
    const hex = error.code.replace(/^0x/i, '');
    body['@Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus'] = '0';
    body['@Microsoft.PowerApps.CDS.ErrorDetails.SubErrorCode'] = String(Number.parseInt(hex || '0', 16) | 0);
    body['@Microsoft.PowerApps.CDS.HelpLink'] =
      `http://go.microsoft.com/fwlink/?LinkID=398563&error=Microsoft.Crm.CrmException%3a${hex}&client=platform`;
    body['@Microsoft.PowerApps.CDS.InnerError.Message'] = error.message;
  }
  return { error: body };
}

export const dataverseErrors = {
  propertyNotFound: (property: string, entity: string) =>
    new DataverseError(
      400,
      '0x80060888',
      `Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${entity}'.`,
    ),
  segmentNotFound: (segment: string) =>
    new DataverseError(404, '0x80060888', `Resource not found for the segment '${segment}'.`),
  querySyntax: (message: string) => new DataverseError(400, '0x80060888', message),
  badRequestSyntax: () => new DataverseError(400, '0x80060888', 'Bad Request - Error in query syntax.'),
  unsupportedQueryOption: (option: string) =>
    new DataverseError(400, '0x80060888', `The query parameter ${option} is not supported`),
  notFound: (entity: string, id: string) =>
    new DataverseError(404, '0x80040217', `${entity} With Id = ${id} Does Not Exist`),
  keyNotFound: (entity: string) =>
    new DataverseError(404, '0x80040217', `A record with the specified key values does not exist in ${entity} entity`),
  alreadyExists: () => new DataverseError(412, '0x80040237', 'A record with matching key values already exists.'),
  duplicateId: () => new DataverseError(412, '0x80040237', 'Cannot insert duplicate key.'),
  duplicateAlternateKey: (values: string, keyName: string) =>
    new DataverseError(
      412,
      '0x80060892',
      `A record that has the attribute values ${values} already exists. The entity key ${keyName} requires that this set of attributes contains unique values. Select unique values and try again.`,
    ),
  versionMismatch: () =>
    new DataverseError(
      412,
      '0x80060882',
      "The version of the existing record doesn't match the RowVersion property provided.",
    ),
  tooLong: (attribute: string, entity: string, max: number) =>
    new DataverseError(
      400,
      '0x80044331',
      `A validation error occurred.  The length of the '${attribute}' attribute of the '${entity}' entity exceeded the maximum allowed length of '${max}'.`,
    ),
  requiredMissing: (attribute: string, entity: string) =>
    new DataverseError(
      400,
      '0x80044331',
      `A validation error occurred.  The value for the required attribute '${attribute}' of the '${entity}' entity is missing.`,
    ),
  outOfRange: (value: unknown, attribute: string, entity: string, accepted: string) =>
    new DataverseError(
      400,
      '0x80044331',
      `A validation error occurred.  The value ${String(value)} of '${attribute}' on record of type '${entity}' is outside the valid range. Accepted Values: ${accepted}`,
    ),
  payload: (entitySet: string, detail: string) =>
    new DataverseError(
      400,
      '0x80048d19',
      `Error identified in Payload provided by the user for Entity :'${entitySet}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : Microsoft.OData.ODataException: ${detail}`,
    ),
  lookupWrite: () =>
    new DataverseError(
      400,
      '0x80060888',
      'CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.',
    ),
  duplicateDetected: () =>
    new DataverseError(
      500,
      '0x80040333',
      'A record was not created or updated because a duplicate of the current record already exists.',
    ),
  readOnlyTable: (entity: string) =>
    new DataverseError(
      405,
      '0x80060888',
      `The entity '${entity}' is read-only in this environment; create, update and delete are not allowed.`,
    ),
  methodNotAllowed: (method: string) =>
    new DataverseError(405, '0x80060888', `The requested resource does not support http method '${method}'.`),
  notMember: () => new DataverseError(403, '0x80072560', 'The user is not a member of the organization.'),
  requestLimit: (limit: number, windowSeconds: number, retryAfter: number) =>
    new DataverseError(
      429,
      '0x80072322',
      `Number of requests exceeded the limit of ${limit} over time window of ${windowSeconds} seconds.`,
      { 'retry-after': String(retryAfter) },
    ),
  concurrencyLimit: (limit: number, retryAfter: number) =>
    new DataverseError(429, '0x80072326', `Number of concurrent requests exceeded the limit of ${limit}.`, {
      'retry-after': String(retryAfter),
    }),
  unavailable: () =>
    new DataverseError(503, '0x80040216', 'The service is temporarily unavailable. Please retry the request later.'),
};
