import { type AttributeSpec, type EntitySpec, isLookup, type NavigationSpec, propertyName } from './entities.ts';
import { type Preferences, wantsAnnotation } from './prefer.ts';
import { type EnvironmentStore, isLookupValue, type Row } from './store.ts';

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const LOOKUP_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';
const NAVIGATION = 'Microsoft.Dynamics.CRM.associatednavigationproperty';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const integer = new Intl.NumberFormat('en-US');

export function etagOf(row: Row): string {
  return `W/"${String(row.versionnumber ?? 0)}"`;
}

/** The value Dataverse would show a user for a column (`FormattedValue` annotation), or undefined when it has none. */
export function formattedValue(attribute: AttributeSpec, row: Row, store: EnvironmentStore): string | undefined {
  const value = row[attribute.logicalName];
  if (value === null || value === undefined) return undefined;
  switch (attribute.type) {
    case 'Picklist':
    case 'State':
    case 'Status':
      return attribute.options?.find((option) => option.value === value)?.label;
    case 'Boolean':
      return attribute.options?.find((option) => option.value === (value ? 1 : 0))?.label;
    case 'Money':
      return typeof value === 'number' ? money.format(value) : undefined;
    case 'Integer':
      return typeof value === 'number' ? integer.format(value) : undefined;
    case 'DateTime': {
      if (typeof value !== 'string') return undefined;
      const date = new Date(attribute.format === 'DateOnly' ? `${value}T00:00:00Z` : value);
      const day = `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()}`;
      if (attribute.format === 'DateOnly') return day;
      const hours = date.getUTCHours();
      const minutes = String(date.getUTCMinutes()).padStart(2, '0');
      return `${day} ${hours % 12 === 0 ? 12 : hours % 12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
    }
    case 'Lookup':
    case 'Customer':
    case 'Owner':
      return isLookupValue(value) ? store.lookupName(value) : undefined;
    default:
      return undefined;
  }
}

/** The navigation property that set a lookup (`parentcustomerid_account`), for the lookup annotations. */
function navigationOf(entity: EntitySpec, attribute: AttributeSpec, target: string): string {
  return (
    entity.navigation.find((nav) => nav.attribute === attribute.logicalName && nav.target === target)?.name ??
    attribute.logicalName
  );
}

/**
 * A row as the Web API returns it: `@odata.etag`, the selected (or all) columns with lookups as `_x_value`, the
 * primary key last, and the annotations the `Prefer: odata.include-annotations` header asked for.
 */
export function formatRow(
  entity: EntitySpec,
  row: Row,
  store: EnvironmentStore,
  select: AttributeSpec[] | undefined,
  preferences: Preferences,
  expand: readonly Expansion[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.etag': etagOf(row) };
  const columns = select ?? entity.attributes;
  const primary = entity.attributes.find((attribute) => attribute.isPrimaryId);
  for (const attribute of columns) {
    if (attribute === primary) continue;
    writeColumn(out, entity, attribute, row, store, preferences);
  }
  if (primary) writeColumn(out, entity, primary, row, store, preferences);
  for (const { navigation, target, select: targetSelect } of expand) {
    // A Customer lookup expands through the navigation property of the table it actually points to, else null.
    const value = row[navigation.attribute];
    const related =
      isLookupValue(value) && value.logicalName === target.logicalName
        ? store.get(target.logicalName, value.id)
        : undefined;
    out[navigation.name] = related ? formatRow(target, related, store, targetSelect, preferences) : null;
  }
  return out;
}

/** One `$expand` item: a single-valued navigation property and the columns selected from its table. */
export interface Expansion {
  navigation: NavigationSpec;
  target: EntitySpec;
  select: AttributeSpec[] | undefined;
}

function writeColumn(
  out: Record<string, unknown>,
  entity: EntitySpec,
  attribute: AttributeSpec,
  row: Row,
  store: EnvironmentStore,
  preferences: Preferences,
): void {
  const name = propertyName(attribute);
  const value = row[attribute.logicalName] ?? null;
  const formatted = formattedValue(attribute, row, store);
  if (formatted !== undefined && wantsAnnotation(preferences, FORMATTED)) out[`${name}@${FORMATTED}`] = formatted;
  if (isLookup(attribute)) {
    if (isLookupValue(value)) {
      if (wantsAnnotation(preferences, NAVIGATION))
        out[`${name}@${NAVIGATION}`] = navigationOf(entity, attribute, value.logicalName);
      if (wantsAnnotation(preferences, LOOKUP_NAME)) out[`${name}@${LOOKUP_NAME}`] = value.logicalName;
      out[name] = value.id;
    } else {
      out[name] = null;
    }
    return;
  }
  out[name] = value;
}
