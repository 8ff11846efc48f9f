import { ApiError, notFound } from '../model/errors.ts';
import { canonicalId, looksLikeId } from '../model/ids.ts';
import { schema } from '../schema/registry.ts';
import type { FieldDef, ObjectDef } from '../schema/types.ts';

/** Resolving the object, id and external-id field named in a REST URL, with Salesforce's errors for each. */

export function objectFromUrl(name: string): ObjectDef {
  const object = schema.object(name);
  if (!object) throw notFound();
  return object;
}

/** The canonical 18-character id of `raw` for `object`: 404 when it is no id at all, 400 MALFORMED_ID otherwise. */
export function idFromUrl(object: ObjectDef, raw: string): string {
  if (!looksLikeId(raw)) {
    throw new ApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${raw}`);
  }
  const id = canonicalId(raw);
  if (!id) throw new ApiError(400, 'MALFORMED_ID', `malformed id ${raw}`, ['Id']);
  if (id.slice(0, 3) !== object.keyPrefix) {
    throw new ApiError(400, 'MALFORMED_ID', `${object.label} ID: id value of incorrect type: ${raw}`, ['Id']);
  }
  return id;
}

/** A field REST may upsert or look up by: Id, or one marked External ID. */
export function externalIdField(object: ObjectDef, name: string): FieldDef {
  const field = schema.field(object, name);
  if (!field || !(field.externalId || field.type === 'id')) {
    throw new ApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${name}`);
  }
  return field;
}
