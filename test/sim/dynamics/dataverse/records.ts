import { dataverseDateTime } from '../clock.ts';
import {
  type AlternateKeySpec,
  type AttributeSpec,
  attributeByProperty,
  attributeOf,
  type EntitySpec,
  entityBySetName,
  isLookup,
} from './entities.ts';
import type { DataverseEnvironment } from './environment.ts';
import { DataverseError, dataverseErrors } from './errors.ts';
import { fold } from './filter.ts';
import { type KeyPart, parseSegment } from './odata-url.ts';
import type { FieldValue, LookupValue, Row } from './store.ts';
import { checkLength, fromJson } from './values.ts';

/** How a request addressed one row: by primary key or by an alternate key. */
export interface RowAddress {
  entity: EntitySpec;
  id: string | undefined;
  alternateKey: AlternateKeySpec | undefined;
  keyValues: Row;
  /** The key as written in the URL, reused in OData-EntityId for alternate-key upserts. */
  keyText: string;
}

export interface WriteOptions {
  callerId: string;
  /** `MSCRM.SuppressDuplicateDetection: false` asks for duplicate detection (default: suppressed on the Web API). */
  detectDuplicates: boolean;
}

const DUPLICATE_RULES: Record<string, string> = { contact: 'emailaddress1', lead: 'emailaddress1', account: 'name' };

function keyLiteralText(part: KeyPart): string {
  if (typeof part.value === 'string' && !part.guid) return `'${part.value.replaceAll("'", "''")}'`;
  return String(part.value);
}

/** Resolves the `(…)` of `contacts(…)` to a primary id or an alternate key of the table. */
export function addressRow(environment: DataverseEnvironment, entity: EntitySpec, key: KeyPart[]): RowAddress {
  const keyText = key
    .map((part) => (part.name ? `${part.name}=${keyLiteralText(part)}` : keyLiteralText(part)))
    .join(',');
  const [first] = key;
  if (!first) throw dataverseErrors.badRequestSyntax();
  if (key.length === 1 && (first.name === undefined || first.name === entity.primaryIdAttribute)) {
    if (!first.guid || typeof first.value !== 'string') throw dataverseErrors.badRequestSyntax();
    return { entity, id: first.value, alternateKey: undefined, keyValues: {}, keyText };
  }
  const keyValues: Row = {};
  for (const part of key) {
    const name = part.name ?? '';
    const attribute = attributeByProperty(entity, name) ?? attributeOf(entity, name);
    if (!attribute) throw dataverseErrors.propertyNotFound(name, entity.logicalName);
    keyValues[attribute.logicalName] = keyValue(entity, attribute, part);
  }
  const alternateKey = environment.store.keyFor(entity.logicalName, Object.keys(keyValues));
  if (!alternateKey) {
    throw new DataverseError(
      400,
      '0x80060888',
      `The key with name(s) '${Object.keys(keyValues).join(',')}' is not defined for entity '${entity.logicalName}'.`,
    );
  }
  const found = environment.store.findByKey(entity.logicalName, keyValues);
  const id = found ? String(found.row[entity.primaryIdAttribute]) : undefined;
  return { entity, id, alternateKey, keyValues, keyText };
}

function keyValue(entity: EntitySpec, attribute: AttributeSpec, part: KeyPart): FieldValue {
  if (isLookup(attribute)) {
    if (!part.guid || typeof part.value !== 'string') throw dataverseErrors.badRequestSyntax();
    return { id: part.value, logicalName: attribute.targets?.[0] ?? '' };
  }
  try {
    return fromJson(entity, attribute, part.value);
  } catch {
    throw dataverseErrors.badRequestSyntax();
  }
}

export function rowOrNotFound(environment: DataverseEnvironment, address: RowAddress): Row {
  const row = address.id ? environment.store.get(address.entity.logicalName, address.id) : undefined;
  if (row) return row;
  if (address.alternateKey) throw dataverseErrors.keyNotFound(address.entity.logicalName);
  throw dataverseErrors.notFound(address.entity.logicalName, address.id ?? '');
}

export function parseJsonBody(entity: EntitySpec, body: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body === '' ? '{}' : body);
  } catch (error) {
    throw dataverseErrors.payload(entity.entitySetName, `Invalid JSON. ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw dataverseErrors.payload(
      entity.entitySetName,
      "A node of type 'StartArray' was read from the JSON reader when trying to read the start of an entry. A 'StartObject' node was expected.",
    );
  }
  return value as Record<string, unknown>;
}

/** `/accounts(<id>)`, `accounts(<id>)`, a full URL, or `accounts(accountnumber='A1')`: the row a bind points at. */
function resolveBind(
  environment: DataverseEnvironment,
  target: string,
  value: unknown,
  entitySet: string,
): LookupValue {
  if (typeof value !== 'string') {
    throw dataverseErrors.payload(
      entitySet,
      `An unexpected '${value === null ? 'PrimitiveValue' : 'StartObject'}' node was found when reading from the JSON reader. A 'PrimitiveValue' node with a URL was expected.`,
    );
  }
  const path = value.replace(/^.*\/api\/data\/v\d+\.\d+\//i, '').replace(/^\//, '');
  const segment = parseSegment(decodeURIComponent(path));
  const entity = entityBySetName(segment.name);
  if (!entity || entity.logicalName !== target || !segment.key) throw dataverseErrors.badRequestSyntax();
  const address = addressRow(environment, entity, segment.key);
  const row = rowOrNotFound(environment, address);
  return { id: String(row[entity.primaryIdAttribute]), logicalName: entity.logicalName };
}

/**
 * Turns a create/update body into column changes, with the platform's checks: unknown properties, lookup columns
 * set directly rather than through `@odata.bind`, EDM types, option ranges and MaxLength. Columns that are not valid
 * for the operation (fullname, createdon, versionnumber) are ignored, as Dataverse ignores them.
 */
export function changesFromBody(
  environment: DataverseEnvironment,
  entity: EntitySpec,
  body: Record<string, unknown>,
  mode: 'create' | 'update',
): Row {
  const changes: Row = {};
  for (const [property, value] of Object.entries(body)) {
    const at = property.indexOf('@');
    if (at >= 0) {
      if (!property.endsWith('@odata.bind')) continue;
      const name = property.slice(0, at);
      const navigation = entity.navigation.find((nav) => nav.name === name);
      if (!navigation) throw dataverseErrors.propertyNotFound(name, entity.logicalName);
      changes[navigation.attribute] = resolveBind(environment, navigation.target, value, entity.entitySetName);
      continue;
    }
    const attribute = attributeByProperty(entity, property);
    if (!attribute) {
      const lookup = /^_(.+)_value$/.exec(property)?.[1];
      const lookupAttribute = lookup ? attributeOf(entity, lookup) : undefined;
      if (lookupAttribute && isLookup(lookupAttribute)) throw dataverseErrors.lookupWrite();
      throw dataverseErrors.propertyNotFound(property, entity.logicalName);
    }
    const converted = fromJson(entity, attribute, value);
    if (!(mode === 'create' ? attribute.validForCreate : attribute.validForUpdate)) continue;
    checkLength(entity, attribute, converted);
    changes[attribute.logicalName] = converted;
  }
  return changes;
}

function deriveColumns(entity: EntitySpec, row: Row): void {
  if (entity.logicalName === 'contact' || entity.logicalName === 'lead') {
    const parts = [row.firstname, row.lastname].filter((part) => typeof part === 'string' && part !== '');
    row.fullname = parts.length > 0 ? parts.join(' ') : null;
  }
}

function checkRequired(environment: DataverseEnvironment, entity: EntitySpec, row: Row, only?: Set<string>): void {
  for (const attribute of entity.attributes) {
    if (only && !only.has(attribute.logicalName)) continue;
    const required =
      attribute.requiredLevel === 'SystemRequired' ||
      (attribute.requiredLevel === 'ApplicationRequired' && environment.settings.enforceApplicationRequired);
    if (!required || !attribute.validForCreate) continue;
    const value = row[attribute.logicalName];
    if (value === null || value === undefined || value === '') {
      throw dataverseErrors.requiredMissing(attribute.logicalName, entity.logicalName);
    }
  }
}

function checkDuplicates(environment: DataverseEnvironment, entity: EntitySpec, row: Row, options: WriteOptions): void {
  const column = DUPLICATE_RULES[entity.logicalName];
  if (!options.detectDuplicates || !column) return;
  const value = row[column];
  if (typeof value !== 'string' || value === '') return;
  const id = String(row[entity.primaryIdAttribute]);
  const duplicate = environment.store
    .rows(entity.logicalName)
    .some(
      (other) =>
        other[entity.primaryIdAttribute] !== id &&
        typeof other[column] === 'string' &&
        fold(String(other[column])) === fold(value),
    );
  if (duplicate) throw dataverseErrors.duplicateDetected();
}

function defaultState(entity: EntitySpec): Row {
  const status = attributeOf(entity, 'statuscode')?.options?.[0]?.value;
  return attributeOf(entity, 'statecode') ? { statecode: 0, statuscode: status ?? 1 } : {};
}

export function createRow(
  environment: DataverseEnvironment,
  entity: EntitySpec,
  changes: Row,
  options: WriteOptions,
): Row {
  if (entity.readOnly) throw dataverseErrors.readOnlyTable(entity.logicalName);
  const now = dataverseDateTime(environment.clock.now());
  const caller: LookupValue = { id: options.callerId, logicalName: 'systemuser' };
  const row: Row = {};
  for (const attribute of entity.attributes) row[attribute.logicalName] = null;
  Object.assign(row, defaultState(entity), {
    ownerid: caller,
    createdby: caller,
    modifiedby: caller,
    createdon: now,
    modifiedon: now,
    versionnumber: environment.store.nextVersion(),
  });
  Object.assign(row, changes);
  row[entity.primaryIdAttribute] = (changes[entity.primaryIdAttribute] as string | null) ?? environment.newId();
  deriveColumns(entity, row);
  checkRequired(environment, entity, row);
  checkDuplicates(environment, entity, row, options);
  return environment.store.insert(entity.logicalName, row);
}

export function updateRow(
  environment: DataverseEnvironment,
  entity: EntitySpec,
  id: string,
  changes: Row,
  options: WriteOptions,
): Row {
  if (entity.readOnly) throw dataverseErrors.readOnlyTable(entity.logicalName);
  const existing = environment.store.get(entity.logicalName, id);
  if (!existing) throw dataverseErrors.notFound(entity.logicalName, id);
  const row: Row = { ...existing, ...changes };
  deriveColumns(entity, row);
  checkRequired(environment, entity, row, new Set(Object.keys(changes)));
  checkDuplicates(environment, entity, row, options);
  const { [entity.primaryIdAttribute]: _ignored, ...rest } = row;
  return environment.store.update(entity.logicalName, id, {
    ...rest,
    modifiedby: { id: options.callerId, logicalName: 'systemuser' },
    modifiedon: dataverseDateTime(environment.clock.now()),
    versionnumber: environment.store.nextVersion(),
  });
}

export function deleteRow(environment: DataverseEnvironment, address: RowAddress): void {
  if (address.entity.readOnly) throw dataverseErrors.readOnlyTable(address.entity.logicalName);
  const row = rowOrNotFound(environment, address);
  environment.store.delete(address.entity.logicalName, String(row[address.entity.primaryIdAttribute]));
}
