import type { FieldMapping } from '@orglink/shared';
import { CATALOG_CUSTOM_FIELD_PREFIX } from '@orglink/shared/catalog-fields';
import type { CatalogUser } from './catalog-client.ts';

/** The value of a Catalog field for a mapping source: a top-level user field or `custom_fields.<name>`. */
export function catalogFieldValue(user: CatalogUser, source: string): string | null {
  const value = source.startsWith(CATALOG_CUSTOM_FIELD_PREFIX)
    ? user.custom_fields?.[source.slice(CATALOG_CUSTOM_FIELD_PREFIX.length)]
    : user[source];
  if (value === undefined || value === null || value === '') return null;
  return String(value);
}

/** A Catalog user as the CRM record the field map describes: target field to value (null clears the field). */
export function mapCatalogUser(user: CatalogUser, fieldMap: readonly FieldMapping[]): Record<string, string | null> {
  const record: Record<string, string | null> = {};
  for (const mapping of fieldMap) {
    record[mapping.target] =
      mapping.constant !== undefined ? mapping.constant : catalogFieldValue(user, mapping.source ?? '');
  }
  return record;
}
