import { schema } from '../schema/registry.ts';
import type { FieldDef, ObjectDef } from '../schema/types.ts';
import { formatDateTime } from './clock.ts';
import { type SaveError, saveError } from './errors.ts';
import type { Org } from './org.ts';
import type { RecordStore, SfRecord } from './record-store.ts';
import { checkValue, normalizeStored } from './values.ts';

/**
 * The write engine every API shares (REST single records, sObject Collections, Bulk 2.0): validation in Salesforce's
 * order, audit fields, unique and external-id enforcement, the recycle bin, and the undo log behind allOrNone.
 */

/** Coerced field values of one record, keyed by canonical field name. */
export type FieldValues = Map<string, unknown>;

export interface DmlActor {
  org: Org;
  userId: string;
  now: number;
  /** Fault injection: whether this write should fail with UNABLE_TO_LOCK_ROW. */
  lockFails: () => boolean;
}

export interface SaveOutcome {
  id?: string;
  success: boolean;
  created?: boolean;
  errors: SaveError[];
}

const deletedAt = new WeakMap<SfRecord, number>();

/** When a recycle-bin row was deleted (for the `deleted` resource). */
export function deletedTime(record: SfRecord): number | undefined {
  return deletedAt.get(record);
}

/** One request's writes: what allOrNone rolls back, and which ids count as "in this batch" for duplicates. */
export class DmlBatch {
  readonly actor: DmlActor;
  readonly touched = new Set<string>();
  readonly #undo: { store: RecordStore; id: string; previous: SfRecord | undefined }[] = [];

  constructor(actor: DmlActor) {
    this.actor = actor;
  }

  write(store: RecordStore, record: SfRecord): void {
    const id = String(record.Id);
    this.#undo.push({ store, id, previous: store.get(id) });
    store.put(record);
    this.touched.add(id);
  }

  remove(store: RecordStore, id: string): void {
    this.#undo.push({ store, id, previous: store.get(id) });
    store.remove(id);
    this.touched.add(id);
  }

  rollback(): void {
    for (const entry of this.#undo.reverse()) {
      if (entry.previous) entry.store.put(entry.previous);
      else entry.store.remove(entry.id);
    }
    this.#undo.length = 0;
  }
}

function fail(error: SaveError, id?: string): SaveOutcome {
  return { ...(id ? { id } : {}), success: false, errors: [error] };
}

function lockError(id?: string): SaveError {
  return saveError(
    'UNABLE_TO_LOCK_ROW',
    id
      ? `unable to obtain exclusive access to this record or 1 records: ${id}`
      : 'unable to obtain exclusive access to this record',
  );
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

function fieldsOf(object: ObjectDef, names: Iterable<string>): FieldDef[] {
  const fields: FieldDef[] = [];
  for (const name of names) {
    const field = schema.field(object, name);
    if (field) fields.push(field);
  }
  return fields;
}

function readOnlyError(fields: FieldDef[]): SaveError {
  const names = fields.map((field) => field.name);
  return saveError(
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${names.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    names,
  );
}

function computeName(object: ObjectDef, record: SfRecord): void {
  if (object.name === 'Contact' || object.name === 'Lead') {
    record.Name = [record.FirstName, record.LastName].filter((part) => !isBlank(part)).join(' ') || null;
  }
}

function referenceError(org: Org, field: FieldDef, value: string): SaveError | undefined {
  const target = schema.byKeyPrefix(value.slice(0, 3));
  const userTarget = value.startsWith('005');
  const allowed = field.referenceTo ?? [];
  const targetName = userTarget ? 'User' : target?.name;
  if (!targetName || !allowed.includes(targetName)) {
    return saveError('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${value}`, [field.name]);
  }
  if (userTarget) {
    return org.user(value)
      ? undefined
      : saveError('INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY', 'insufficient access rights on cross-reference id', [
          field.name,
        ]);
  }
  const referenced = org.store(targetName).get(value);
  if (!referenced) {
    return saveError(
      'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
      'insufficient access rights on cross-reference id',
      [field.name],
    );
  }
  if (referenced.IsDeleted === true) return saveError('ENTITY_IS_DELETED', 'entity is deleted', [field.name]);
  return undefined;
}

/** Validates `values` and merges them onto `base` (a new row's defaults, or the current row). */
function buildRecord(
  batch: DmlBatch,
  store: RecordStore,
  base: SfRecord,
  values: FieldValues,
  mode: 'create' | 'update',
): { record: SfRecord } | { error: SaveError } {
  const object = store.object;
  const fields = fieldsOf(object, values.keys());
  const readOnly = fields.filter((field) => (mode === 'create' ? !field.createable : !field.updateable));
  if (readOnly.length) return { error: readOnlyError(readOnly) };
  const record: SfRecord = { ...base };
  for (const field of fields) {
    const value = normalizeStored(field, values.get(field.name));
    const problem = checkValue(field, value);
    if (problem) return { error: problem };
    record[field.name] = value;
  }
  computeName(object, record);
  const missing = object.required.filter((name) => isBlank(record[name]));
  if (missing.length) {
    return {
      error: saveError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing),
    };
  }
  for (const field of fields) {
    const value = record[field.name];
    if (field.type === 'reference' && typeof value === 'string') {
      const problem = referenceError(batch.actor.org, field, value);
      if (problem) return { error: problem };
    }
  }
  for (const field of object.fields) {
    if (!field.unique || isBlank(record[field.name])) continue;
    const clash = store.findBy(field, record[field.name]).find((id) => id !== record.Id);
    if (!clash) continue;
    const inBatch = batch.touched.has(clash);
    const message = inBatch
      ? 'duplicate value found: <unknown> duplicates value on record with id: <unknown>'
      : `duplicate value found: ${field.name} duplicates value on record with id: ${clash}`;
    return { error: saveError('DUPLICATE_VALUE', message) };
  }
  return { record };
}

function newRecordDefaults(actor: DmlActor, object: ObjectDef): SfRecord {
  const record: SfRecord = {};
  for (const field of object.fields) {
    if (field.type === 'boolean') record[field.name] = field.defaultValue ?? false;
    else if (field.type === 'picklist' && typeof field.defaultValue === 'string')
      record[field.name] = field.defaultValue;
    else record[field.name] = null;
  }
  record.OwnerId = actor.userId;
  return record;
}

function stamp(actor: DmlActor, record: SfRecord, created: boolean): void {
  const now = formatDateTime(actor.now);
  if (created) {
    record.CreatedDate = now;
    record.CreatedById = actor.userId;
  }
  record.LastModifiedDate = now;
  record.LastModifiedById = actor.userId;
  record.SystemModstamp = now;
}

export function insertRecord(batch: DmlBatch, store: RecordStore, values: FieldValues): SaveOutcome {
  const built = buildRecord(batch, store, newRecordDefaults(batch.actor, store.object), values, 'create');
  if ('error' in built) return fail(built.error);
  if (batch.actor.lockFails()) return fail(lockError());
  const record = built.record;
  record.Id = batch.actor.org.ids.next(store.object.keyPrefix);
  record.IsDeleted = false;
  stamp(batch.actor, record, true);
  batch.write(store, record);
  return { id: String(record.Id), success: true, errors: [], created: true };
}

/** Why `id` cannot be written: missing (never existed or purged) or in the recycle bin. */
export function absentError(store: RecordStore, id: string, operation: 'update' | 'delete'): SaveError | undefined {
  const current = store.get(id);
  if (current && current.IsDeleted !== true) return undefined;
  if (current || operation === 'delete') return saveError('ENTITY_IS_DELETED', 'entity is deleted');
  return saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
}

export function updateRecord(batch: DmlBatch, store: RecordStore, id: string, values: FieldValues): SaveOutcome {
  const absent = absentError(store, id, 'update');
  if (absent) return fail(absent, id);
  const current = store.get(id) as SfRecord;
  const built = buildRecord(batch, store, current, values, 'update');
  if ('error' in built) return fail(built.error, id);
  if (batch.actor.lockFails()) return fail(lockError(id), id);
  stamp(batch.actor, built.record, false);
  batch.write(store, built.record);
  return { id, success: true, errors: [], created: false };
}

/** Live rows an upsert key matches: by Id, or by an external-id field's value. */
export function upsertMatches(store: RecordStore, field: FieldDef, value: unknown): string[] {
  if (isBlank(value)) return [];
  if (field.type === 'id') {
    const current = store.get(String(value));
    return current && current.IsDeleted !== true ? [String(value)] : [];
  }
  return store.findBy(field, value);
}

export function upsertRecord(
  batch: DmlBatch,
  store: RecordStore,
  field: FieldDef,
  value: unknown,
  values: FieldValues,
): SaveOutcome {
  const matches = upsertMatches(store, field, value);
  if (matches.length > 1) {
    return fail(
      saveError(
        'DUPLICATE_EXTERNAL_ID',
        `${field.label}: more than one record found for external id field: [${matches.join(', ')}]`,
        [field.name],
      ),
    );
  }
  const [match] = matches;
  if (match) {
    const update = new Map(values);
    update.delete(field.name);
    return updateRecord(batch, store, match, update);
  }
  if (field.type === 'id' && !isBlank(value)) {
    return fail(saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id'));
  }
  const insert = new Map(values);
  if (field.type !== 'id') insert.set(field.name, value);
  else insert.delete(field.name);
  return insertRecord(batch, store, insert);
}

export function deleteRecord(batch: DmlBatch, store: RecordStore, id: string): SaveOutcome {
  const absent = absentError(store, id, 'delete');
  if (absent) return fail(absent, id);
  if (batch.actor.lockFails()) return fail(lockError(id), id);
  const current = store.get(id) as SfRecord;
  const record: SfRecord = { ...current, IsDeleted: true };
  stamp(batch.actor, record, false);
  deletedAt.set(record, batch.actor.now);
  batch.write(store, record);
  return { id, success: true, errors: [] };
}

/** Removes a row for good, skipping the recycle bin (Bulk API hardDelete). */
export function hardDeleteRecord(batch: DmlBatch, store: RecordStore, id: string): SaveOutcome {
  const absent = absentError(store, id, 'delete');
  if (absent) return fail(absent, id);
  if (batch.actor.lockFails()) return fail(lockError(id), id);
  batch.remove(store, id);
  return { id, success: true, errors: [] };
}

/** The outcome every record of an allOrNone request gets when another record failed. */
export function rolledBack(outcome: SaveOutcome): SaveOutcome {
  if (!outcome.success) return outcome;
  return {
    ...(outcome.id && outcome.created !== true ? { id: outcome.id } : {}),
    success: false,
    errors: [
      saveError(
        'ALL_OR_NONE_OPERATION_ROLLED_BACK',
        'Record rolled back because not all records were valid and the request was using AllOrNone header',
      ),
    ],
  };
}
