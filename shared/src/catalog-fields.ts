// Plain constants with no schema library: the runner's worker threads import them, and loading TypeBox there cost
// each worker about 12 MB of heap for a string prefix.

/** The Catalog user fields a mapping can read; custom fields are `custom_fields.<name>`. */
export const CATALOG_USER_FIELDS = [
  'id',
  'user_name',
  'first_name',
  'last_name',
  'email_address',
  'canvas_user_id',
  'time_zone',
  'created_at',
  'updated_at',
] as const;
export const CATALOG_CUSTOM_FIELD_PREFIX = 'custom_fields.';
