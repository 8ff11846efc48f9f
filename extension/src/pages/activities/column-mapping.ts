import type { ActivityKind, CrmField } from '@orglink/shared';
import { activityLabel, isDeleteActivity, isUpsertActivity } from './activity-kinds.ts';

/** Per CSV column, the field it fills, or '' to skip it. */
export type ColumnMapping = Record<string, string>;

/** Letters and digits only, lower case: "E-mail", "email" and "EMAIL" meet; "Last Name" meets "LastName". */
function loose(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Maps each column to the field it most plainly names: the API name first (exactly, then loosely: "Last Name" is
 * LastName), then the label; a field is used once. Columns that name no field are left for the admin ('' = skip).
 */
export function autoMap(columns: readonly string[], fields: readonly CrmField[]): ColumnMapping {
  const used = new Set<string>();
  const mapping: ColumnMapping = {};
  const passes: ((column: string, field: CrmField) => boolean)[] = [
    (column, field) => field.name.toLowerCase() === column.trim().toLowerCase(),
    (column, field) => loose(field.name) === loose(column),
    (column, field) => loose(field.label) === loose(column),
  ];
  for (const column of columns) mapping[column] = '';
  for (const matches of passes) {
    for (const column of columns) {
      if (mapping[column]) continue;
      const field = fields.find((candidate) => !used.has(candidate.name) && matches(column, candidate));
      if (field) {
        mapping[column] = field.name;
        used.add(field.name);
      }
    }
  }
  return mapping;
}

/** What an activity may write to a field, as describe says (the server checks the same). */
function writable(activity: ActivityKind, field: CrmField): boolean {
  if (activity.endsWith('insert')) return field.createable;
  if (activity.endsWith('update')) return field.updateable;
  return field.createable || field.updateable;
}

/** The fields an activity can fill, for the picker of each column. */
export function fieldChoices(activity: ActivityKind, fields: readonly CrmField[]): CrmField[] {
  if (isDeleteActivity(activity)) return fields.filter((field) => field.name === 'Id');
  return fields.filter((field) =>
    field.name === 'Id'
      ? !activity.endsWith('insert')
      : writable(activity, field) || (isUpsertActivity(activity) && field.externalId),
  );
}

/** Upsert matches records by a field that is an External ID and unique; anything else could match several rows. */
export function externalIdChoices(fields: readonly CrmField[]): CrmField[] {
  return fields.filter((field) => field.externalId && field.unique);
}

export interface MappingProblems {
  /** Next to a column's row in the mapping table. */
  columns: Record<string, string>;
  /** About the mapping as a whole (a missing Id column, the External ID field). */
  general: string[];
}

/** Checks the mapping as the server will, so the admin sees each problem beside its column before pressing Run. */
export function checkMapping(
  activity: ActivityKind,
  mapping: ColumnMapping,
  fields: readonly CrmField[],
  externalIdField: string,
): MappingProblems {
  const problems: MappingProblems = { columns: {}, general: [] };
  const byName = new Map(fields.map((field) => [field.name, field]));
  const label = activityLabel(activity);
  const mapped = Object.entries(mapping).filter(([, field]) => field !== '');
  const seen = new Map<string, string>();
  for (const [column, fieldName] of mapped) {
    const field = byName.get(fieldName);
    if (!field) {
      problems.columns[column] = `${fieldName} is not a field of this object. Pick another field, or skip the column.`;
      continue;
    }
    const first = seen.get(fieldName);
    if (first !== undefined) {
      problems.columns[column] = `“${first}” already fills ${fieldName}. Map each field once.`;
      continue;
    }
    seen.set(fieldName, column);
    if (isDeleteActivity(activity) && fieldName !== 'Id') {
      problems.columns[column] = `${label} takes only record Ids: skip this column.`;
    } else if (activity.endsWith('insert') && fieldName === 'Id') {
      problems.columns[column] = 'Insert creates new records, which get their Id from Salesforce: skip this column.';
    } else if (fieldName !== 'Id' && fieldName !== externalIdField && !writable(activity, field)) {
      problems.columns[column] = `${label} cannot write ${fieldName} (read-only for this user). Skip this column.`;
    }
  }
  const filled = new Set(mapped.map(([, field]) => field));
  if (mapped.length === 0) problems.general.push('No column fills a field. Map at least one column to a field.');
  if ((isDeleteActivity(activity) || activity.endsWith('update')) && !filled.has('Id')) {
    problems.general.push(`${label} finds each record by its Id: map a column to Id.`);
  }
  if (isUpsertActivity(activity)) {
    const field = byName.get(externalIdField);
    if (!externalIdField) problems.general.push('Pick the External ID field that upsert matches records by.');
    else if (!field || !(field.externalId && field.unique)) {
      problems.general.push(
        `${externalIdField} is not a unique External ID field. Pick one marked External ID and Unique.`,
      );
    } else if (!filled.has(externalIdField)) {
      problems.general.push(`Map a column to ${externalIdField}: upsert matches records by it.`);
    }
  }
  return problems;
}

export function hasProblems(problems: MappingProblems): boolean {
  return problems.general.length > 0 || Object.keys(problems.columns).length > 0;
}

/** The request's columnMap: only columns whose target differs from their own name ('' skips a column). */
export function columnMapFor(mapping: ColumnMapping): Record<string, string> {
  return Object.fromEntries(Object.entries(mapping).filter(([column, field]) => field !== column));
}
