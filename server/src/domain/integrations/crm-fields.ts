import { type CrmField, IntegrationErrorCode } from '@orglink/shared';
import type { FastifyInstance } from 'fastify';
import { CrmAuthorizationLost } from '../../crm/crm-client.ts';
import type { DynamicsClient } from '../../crm/dynamics/dynamics-client.ts';
import type { SalesforceClient } from '../../crm/salesforce/salesforce-client.ts';
import { ApiError } from '../../http-errors.ts';

export interface CrmFieldList {
  object: string;
  fields: CrmField[];
}

const SALESFORCE_OBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const DYNAMICS_LOGICAL_NAME = /^[a-z][a-z0-9_]{0,63}$/;

function unknownObject(name: string, kind: 'salesforce' | 'dynamics'): ApiError {
  const example = kind === 'salesforce' ? 'Contact or Lead' : 'contact or lead (logical names)';
  return new ApiError(
    404,
    IntegrationErrorCode.CrmObjectNotFound,
    `The ${kind === 'salesforce' ? 'Salesforce object' : 'Dynamics 365 table'} "${name}" does not exist or is not visible to this connection's user. Use an API name such as ${example}.`,
  );
}

/** What the admin can do about a CRM that failed while describing: re-authorize, or try again later. */
export function crmCallProblem(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof CrmAuthorizationLost) {
    return new ApiError(
      409,
      IntegrationErrorCode.ConnectionNotUsable,
      `Connection inactive: re-authorize first (${error.reason}).`,
    );
  }
  return new ApiError(
    503,
    IntegrationErrorCode.CrmUnavailable,
    `The CRM did not answer the field list request (${(error as Error).message}). Try again in a minute.`,
  );
}

/** A connection's CRM client for a request that calls the CRM now: what fails becomes what the admin can do. */
export async function openConnectionClient(app: FastifyInstance, connectionId: string) {
  try {
    return await app.connectionClients.open(connectionId);
  } catch (error) {
    throw crmCallProblem(error);
  }
}

interface SalesforceDescribeField {
  name: string;
  label: string;
  type: string;
  length?: number;
  nillable: boolean;
  defaultedOnCreate: boolean;
  createable: boolean;
  updateable: boolean;
  externalId?: boolean;
  unique?: boolean;
}

/** Salesforce describe: "required" is what the UI calls required, a field that cannot be left empty on create. */
export function salesforceField(field: SalesforceDescribeField): CrmField {
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    length: field.length ? field.length : null,
    required: field.createable && !field.nillable && !field.defaultedOnCreate && field.type !== 'boolean',
    createable: field.createable,
    updateable: field.updateable,
    externalId: field.externalId ?? false,
    unique: field.unique ?? false,
  };
}

async function describeSalesforce(client: SalesforceClient, name: string): Promise<CrmFieldList> {
  if (!SALESFORCE_OBJECT_NAME.test(name)) throw unknownObject(name, 'salesforce');
  try {
    const described = await client.call((connection) => connection.describe(name));
    return {
      object: described.name,
      fields: (described.fields as unknown as SalesforceDescribeField[]).map(salesforceField),
    };
  } catch (error) {
    const code = (error as { errorCode?: string }).errorCode;
    if (code === 'NOT_FOUND' || code === 'INVALID_TYPE') throw unknownObject(name, 'salesforce');
    throw crmCallProblem(error);
  }
}

interface DynamicsLabel {
  UserLocalizedLabel?: { Label?: string } | null;
}

interface DynamicsAttribute {
  LogicalName: string;
  AttributeType: string;
  AttributeOf?: string | null;
  DisplayName?: DynamicsLabel;
  MaxLength?: number | null;
  RequiredLevel?: { Value?: string };
  IsValidForCreate?: boolean;
  IsValidForUpdate?: boolean;
  IsPrimaryId?: boolean;
}

interface DynamicsEntity {
  LogicalName: string;
  Attributes?: DynamicsAttribute[];
  Keys?: { KeyAttributes?: string[] }[];
}

/** An attribute in an alternate key is what Dataverse upserts by: the counterpart of a Salesforce External ID. */
export function dynamicsField(attribute: DynamicsAttribute, keyAttributes: ReadonlySet<string>): CrmField {
  const level = attribute.RequiredLevel?.Value;
  const createable = attribute.IsValidForCreate ?? false;
  return {
    name: attribute.LogicalName,
    label: attribute.DisplayName?.UserLocalizedLabel?.Label ?? attribute.LogicalName,
    type: attribute.AttributeType.toLowerCase(),
    length: typeof attribute.MaxLength === 'number' ? attribute.MaxLength : null,
    required: createable && (level === 'SystemRequired' || level === 'ApplicationRequired'),
    createable,
    updateable: attribute.IsValidForUpdate ?? false,
    externalId: keyAttributes.has(attribute.LogicalName),
    unique: keyAttributes.has(attribute.LogicalName) || (attribute.IsPrimaryId ?? false),
  };
}

async function describeDynamics(client: DynamicsClient, rawName: string): Promise<CrmFieldList> {
  const name = rawName.toLowerCase();
  if (!DYNAMICS_LOGICAL_NAME.test(name)) throw unknownObject(rawName, 'dynamics');
  let response: Response;
  try {
    // No $select on Attributes: MaxLength lives on the derived types, which only an unselected expand returns.
    response = await client.request(
      `EntityDefinitions(LogicalName='${name}')?$select=LogicalName&$expand=Attributes,Keys`,
    );
  } catch (error) {
    throw crmCallProblem(error);
  }
  if (response.status === 404) {
    await response.body?.cancel();
    throw unknownObject(rawName, 'dynamics');
  }
  if (!response.ok) {
    const text = (await response.text()).slice(0, 200);
    throw crmCallProblem(new Error(`EntityDefinitions answered HTTP ${response.status}: ${text}`));
  }
  const entity = (await response.json()) as DynamicsEntity;
  const keyAttributes = new Set((entity.Keys ?? []).flatMap((key) => key.KeyAttributes ?? []));
  return {
    object: entity.LogicalName,
    fields: (entity.Attributes ?? [])
      .filter((attribute) => !attribute.AttributeOf)
      .map((attribute) => dynamicsField(attribute, keyAttributes))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** The fields of a CRM object (Salesforce describe, Dynamics EntityDefinitions with Attributes and Keys). */
export function describeCrmObject(client: SalesforceClient | DynamicsClient, name: string): Promise<CrmFieldList> {
  return client.kind === 'salesforce' ? describeSalesforce(client, name) : describeDynamics(client, name);
}
