import {
  CATALOG_CUSTOM_FIELD_PREFIX,
  CATALOG_USER_FIELDS,
  type CrmField,
  type CrmKind,
  type FieldMapping,
  IntegrationErrorCode,
  type MatchKey,
  type TargetObject,
} from '@orglink/shared';
import { ApiError } from '../../http-errors.ts';

/** What a write job to one CRM table needs mapped, and what it maps by default. */
export interface TargetProfile {
  /** The CRM's name of the table: Contact / Lead on Salesforce, contact / lead on Dynamics. */
  object: string;
  firstName: string;
  lastName: string;
  email: string;
  /** Lead only: the company every Lead must have. */
  company: string | undefined;
  defaultExternalIdField: string;
}

export function targetProfile(kind: CrmKind, target: TargetObject): TargetProfile {
  const lead = target === 'Lead';
  if (kind === 'salesforce') {
    return {
      object: target,
      firstName: 'FirstName',
      lastName: 'LastName',
      email: 'Email',
      company: lead ? 'Company' : undefined,
      defaultExternalIdField: 'LMS_User_Id__c',
    };
  }
  return {
    object: target.toLowerCase(),
    firstName: 'firstname',
    lastName: 'lastname',
    email: 'emailaddress1',
    company: lead ? 'companyname' : undefined,
    defaultExternalIdField: 'lms_userid',
  };
}

export function mandatoryFields(profile: TargetProfile): string[] {
  return [profile.firstName, profile.lastName, profile.email, ...(profile.company ? [profile.company] : [])];
}

/** First Name, Last Name, Email (+ Company for Lead, the account's name), + the External ID field from the user id. */
export function defaultFieldMap(
  profile: TargetProfile,
  externalIdField: string | null,
  companyName: string,
): FieldMapping[] {
  return [
    { target: profile.firstName, source: 'first_name' },
    { target: profile.lastName, source: 'last_name' },
    { target: profile.email, source: 'email_address' },
    ...(profile.company ? [{ target: profile.company, constant: companyName }] : []),
    ...(externalIdField ? [{ target: externalIdField, source: 'id' }] : []),
  ];
}

/** How a value must look to be written to a field; Catalog values are text, numbers and timestamps. */
type ValueKind = 'text' | 'number' | 'date' | 'datetime' | 'boolean' | 'option' | 'reference' | 'unsupported';

const VALUE_KINDS: Record<string, ValueKind> = {
  // Salesforce describe types
  string: 'text',
  textarea: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  picklist: 'text',
  multipicklist: 'text',
  combobox: 'text',
  encryptedstring: 'text',
  int: 'number',
  double: 'number',
  currency: 'number',
  percent: 'number',
  long: 'number',
  date: 'date',
  datetime: 'datetime',
  boolean: 'boolean',
  reference: 'reference',
  id: 'reference',
  // Dynamics AttributeType, lowercased
  memo: 'text',
  integer: 'number',
  bigint: 'number',
  money: 'number',
  decimal: 'number',
  state: 'option',
  status: 'option',
  lookup: 'reference',
  customer: 'reference',
  owner: 'reference',
  uniqueidentifier: 'reference',
};

function valueKind(kind: CrmKind, type: string): ValueKind {
  // Dynamics option sets take numbers; Salesforce picklists take their labels as text.
  if (kind === 'dynamics' && type === 'picklist') return 'option';
  return VALUE_KINDS[type] ?? 'unsupported';
}

const CATALOG_SOURCE_KINDS: Record<string, 'number' | 'datetime'> = {
  id: 'number',
  canvas_user_id: 'number',
  created_at: 'datetime',
  updated_at: 'datetime',
};

export function isCatalogField(source: string, customFieldsSeen: ReadonlySet<string>): boolean {
  if ((CATALOG_USER_FIELDS as readonly string[]).includes(source)) return true;
  return (
    source.startsWith(CATALOG_CUSTOM_FIELD_PREFIX) &&
    customFieldsSeen.has(source.slice(CATALOG_CUSTOM_FIELD_PREFIX.length))
  );
}

function sourceFits(source: string, target: ValueKind): boolean {
  const kind = CATALOG_SOURCE_KINDS[source] ?? 'text';
  if (target === 'text') return true;
  if (target === 'number') return kind === 'number';
  if (target === 'date' || target === 'datetime') return kind === 'datetime';
  return false;
}

function constantFits(constant: string, target: ValueKind): boolean {
  switch (target) {
    case 'text':
    case 'reference':
      return true;
    case 'number':
      return constant.trim() !== '' && Number.isFinite(Number(constant));
    case 'option':
      return /^-?\d+$/.test(constant.trim());
    case 'boolean':
      return constant === 'true' || constant === 'false';
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(constant) && !Number.isNaN(Date.parse(constant));
    case 'datetime':
      return /^\d{4}-\d{2}-\d{2}T/.test(constant) && !Number.isNaN(Date.parse(constant));
    default:
      return false;
  }
}

const EXPECTED_CONSTANT: Record<ValueKind, string> = {
  text: 'text',
  reference: 'a record id',
  number: 'a number',
  option: 'an option value (a whole number)',
  boolean: 'true or false',
  date: 'a date such as 2026-01-31',
  datetime: 'a timestamp such as 2026-01-31T00:00:00Z',
  unsupported: 'nothing OrgLink can write',
};

function invalid(message: string, field?: string): ApiError {
  return new ApiError(400, IntegrationErrorCode.FieldMapInvalid, message, field ? { field } : undefined);
}

export interface FieldMapInput {
  kind: CrmKind;
  profile: TargetProfile;
  /** The target object's fields, from describe. */
  fields: readonly CrmField[];
  matchKey: MatchKey;
  externalIdField: string | null;
  fieldMap: readonly FieldMapping[];
  /** Custom field names seen on the account's users (a sample page). */
  customFieldsSeen: ReadonlySet<string>;
}

export interface ValidFieldMap {
  externalIdField: string | null;
  /** With targets spelled as describe spells them. */
  fieldMap: FieldMapping[];
}

/**
 * The field map against the target's describe: every target exists, can be created and updated, is mapped once and
 * gets a value of its type; every source is a Catalog field; the mandatory fields and the match key are mapped.
 * Values too long for a field are left to the run, where they are per-record errors.
 */
export function validateFieldMap(input: FieldMapInput): ValidFieldMap {
  const { kind, profile, fields, matchKey, customFieldsSeen } = input;
  const byName = new Map(fields.map((field) => [field.name.toLowerCase(), field]));
  const object = profile.object;
  const mapped = new Map<string, FieldMapping>();
  for (const mapping of input.fieldMap) {
    const field = byName.get(mapping.target.trim().toLowerCase());
    if (!field) throw invalid(`The field "${mapping.target}" does not exist on ${object}.`, mapping.target);
    if (!field.createable || !field.updateable) {
      const cannot =
        !field.createable && !field.updateable ? 'be written' : !field.createable ? 'be set on create' : 'be updated';
      throw invalid(
        `The field "${field.name}" on ${object} cannot ${cannot}; map a field that can be created and updated.`,
        field.name,
      );
    }
    if (mapped.has(field.name)) {
      throw invalid(`The field "${field.name}" is mapped twice; keep one mapping for it.`, field.name);
    }
    const hasSource = mapping.source !== undefined;
    const hasConstant = mapping.constant !== undefined;
    if (hasSource === hasConstant) {
      throw invalid(
        `The mapping of "${field.name}" needs exactly one of a Catalog field (source) or a fixed value (constant).`,
        field.name,
      );
    }
    const target = valueKind(kind, field.type);
    if (mapping.source !== undefined) {
      const source = mapping.source.trim();
      if (!isCatalogField(source, customFieldsSeen)) {
        throw invalid(
          `"${source}" (mapped to "${field.name}") is not a Catalog user field. Use one of ${CATALOG_USER_FIELDS.join(', ')} or custom_fields.<name> of a custom field your users have.`,
          field.name,
        );
      }
      if (!sourceFits(source, target)) {
        throw invalid(
          `The Catalog field "${source}" cannot be written to "${field.name}" (a ${field.type} field on ${object}); map a Catalog field of that type, or a fixed value.`,
          field.name,
        );
      }
      mapped.set(field.name, { target: field.name, source });
    } else {
      const constant = mapping.constant ?? '';
      if (!constantFits(constant, target)) {
        throw invalid(
          `The fixed value "${constant}" cannot be written to "${field.name}" (a ${field.type} field on ${object}); it needs ${EXPECTED_CONSTANT[target]}.`,
          field.name,
        );
      }
      mapped.set(field.name, { target: field.name, constant });
    }
  }

  for (const name of mandatoryFields(profile)) {
    const mapping = mapped.get(byName.get(name.toLowerCase())?.name ?? name);
    if (!mapping) {
      throw invalid(
        `"${name}" must be mapped: ${mandatoryFields(profile).join(', ')} are mandatory on ${object}.`,
        name,
      );
    }
    if (mapping.constant !== undefined && mapping.constant.trim() === '') {
      throw invalid(`"${name}" is mandatory on ${object}; give it a Catalog field or a non-empty fixed value.`, name);
    }
  }

  if (matchKey === 'email' && kind === 'dynamics') {
    // The Dynamics writer upserts by alternate key only; an e-mail match key would be stored and then fail every run.
    throw matchKeyInvalid(
      'Dynamics 365 supports the External ID match key only (an alternate key such as lms_userid); choose matchKey "external-id".',
    );
  }
  if (matchKey === 'email') return { externalIdField: null, fieldMap: [...mapped.values()] };
  const requested = input.externalIdField ?? profile.defaultExternalIdField;
  const externalField = byName.get(requested.toLowerCase());
  const idWord = kind === 'salesforce' ? 'an External ID field' : 'a column of an alternate key';
  if (!externalField) {
    throw matchKeyInvalid(
      `The match key field "${requested}" does not exist on ${object}. Create ${idWord} for the Catalog user id, or match by e-mail.`,
    );
  }
  if (!externalField.externalId) {
    throw matchKeyInvalid(`"${externalField.name}" on ${object} is not ${idWord}, so records cannot be matched by it.`);
  }
  if (!externalField.createable || !externalField.updateable) {
    throw matchKeyInvalid(`The match key field "${externalField.name}" on ${object} cannot be written.`);
  }
  const keyMapping = mapped.get(externalField.name);
  // The writers key every record by the Catalog user id (Bulk results, Dynamics alternate-key URLs, resume): a key
  // filled from another Catalog field could never be matched back to its record.
  if (keyMapping?.source !== 'id') {
    throw invalid(
      `Map the match key field "${externalField.name}" from the Catalog field "id" (the Catalog user id): records are matched by it${keyMapping?.source ? `, not by "${keyMapping.source}"` : ''}.`,
      externalField.name,
    );
  }
  return { externalIdField: externalField.name, fieldMap: [...mapped.values()] };
}

function matchKeyInvalid(message: string): ApiError {
  return new ApiError(400, IntegrationErrorCode.MatchKeyInvalid, message);
}
