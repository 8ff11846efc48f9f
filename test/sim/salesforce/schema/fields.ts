import type { FieldDef, ObjectDef, PicklistEntry } from './types.ts';

/** Builders for the field shapes standard objects repeat, so each object file reads like its field list in Setup. */

type Extra = Partial<FieldDef>;

export function text(name: string, label: string, length: number, extra: Extra = {}): FieldDef {
  return { name, label, type: 'string', length, nillable: true, createable: true, updateable: true, ...extra };
}

export function textArea(name: string, label: string, length: number, extra: Extra = {}): FieldDef {
  return {
    name,
    label,
    type: 'textarea',
    length,
    nillable: true,
    createable: true,
    updateable: true,
    ...(length > 255 ? { longText: true } : {}),
    ...extra,
  };
}

export function phone(name: string, label: string): FieldDef {
  return { name, label, type: 'phone', length: 40, nillable: true, createable: true, updateable: true };
}

export function email(name: string, label: string, extra: Extra = {}): FieldDef {
  return { name, label, type: 'email', length: 80, nillable: true, createable: true, updateable: true, ...extra };
}

export function url(name: string, label: string, extra: Extra = {}): FieldDef {
  return { name, label, type: 'url', length: 255, nillable: true, createable: true, updateable: true, ...extra };
}

export function checkbox(name: string, label: string, extra: Extra = {}): FieldDef {
  return {
    name,
    label,
    type: 'boolean',
    nillable: false,
    createable: true,
    updateable: true,
    defaultedOnCreate: true,
    defaultValue: false,
    ...extra,
  };
}

export function date(name: string, label: string, extra: Extra = {}): FieldDef {
  return { name, label, type: 'date', nillable: true, createable: true, updateable: true, ...extra };
}

export function currency(name: string, label: string): FieldDef {
  return {
    name,
    label,
    type: 'currency',
    precision: 18,
    scale: 0,
    nillable: true,
    createable: true,
    updateable: true,
  };
}

export function integer(name: string, label: string, digits: number): FieldDef {
  return { name, label, type: 'int', digits, nillable: true, createable: true, updateable: true };
}

export function picklist(name: string, label: string, values: string[], extra: Extra = {}): FieldDef {
  const defaultValue = typeof extra.defaultValue === 'string' ? extra.defaultValue : undefined;
  const entries: PicklistEntry[] = values.map((value) => ({
    value,
    label: value,
    defaultValue: value === defaultValue,
  }));
  return {
    name,
    label,
    type: 'picklist',
    length: 255,
    nillable: true,
    createable: true,
    updateable: true,
    picklistValues: entries,
    ...extra,
  };
}

export function lookup(
  name: string,
  label: string,
  referenceTo: string[],
  relationshipName: string,
  extra: Extra = {},
) {
  const field: FieldDef = {
    name,
    label,
    type: 'reference',
    length: 18,
    nillable: true,
    createable: true,
    updateable: true,
    referenceTo,
    relationshipName,
    ...extra,
  };
  return field;
}

/** A custom External ID text field, as created in Setup with the "External ID" (and optionally "Unique") boxes. */
export function externalIdText(name: string, label: string, length: number, unique: boolean): FieldDef {
  return text(name, label, length, {
    custom: true,
    externalId: true,
    idLookup: true,
    unique,
    caseSensitive: false,
    inlineHelpText: unique
      ? 'Unique id of the person in the learning platform; the key OrgLink upserts on.'
      : 'Id carried over from the previous system. Not unique.',
  });
}

/** The system fields every standard object has, in the order the describe lists them. */
export function idField(): FieldDef {
  return {
    name: 'Id',
    label: 'Record ID',
    type: 'id',
    length: 18,
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
    idLookup: true,
  };
}

export function isDeletedField(): FieldDef {
  return checkbox('IsDeleted', 'Deleted', { createable: false, updateable: false });
}

export function masterRecordField(objectName: string): FieldDef {
  return lookup('MasterRecordId', `Master Record ID`, [objectName], 'MasterRecord', {
    createable: false,
    updateable: false,
  });
}

export function ownerField(referenceTo: string[] = ['User']): FieldDef {
  return lookup('OwnerId', 'Owner ID', referenceTo, 'Owner', { nillable: false, defaultedOnCreate: true });
}

export function auditFields(): FieldDef[] {
  const readOnly = { createable: false, updateable: false, nillable: false, defaultedOnCreate: true };
  return [
    { name: 'CreatedDate', label: 'Created Date', type: 'datetime', ...readOnly },
    lookup('CreatedById', 'Created By ID', ['User'], 'CreatedBy', readOnly),
    { name: 'LastModifiedDate', label: 'Last Modified Date', type: 'datetime', ...readOnly },
    lookup('LastModifiedById', 'Last Modified By ID', ['User'], 'LastModifiedBy', readOnly),
    { name: 'SystemModstamp', label: 'System Modstamp', type: 'datetime', ...readOnly },
  ];
}

export function activityFields(): FieldDef[] {
  const readOnly = { createable: false, updateable: false };
  return [
    date('LastActivityDate', 'Last Activity', readOnly),
    { name: 'LastViewedDate', label: 'Last Viewed Date', type: 'datetime', nillable: true, ...readOnly },
    { name: 'LastReferencedDate', label: 'Last Referenced Date', type: 'datetime', nillable: true, ...readOnly },
  ];
}

export function defineObject(spec: Omit<ObjectDef, 'required'>): ObjectDef {
  const required = spec.fields
    .filter((field) => !field.nillable && field.createable && !field.defaultedOnCreate && field.type !== 'boolean')
    .map((field) => field.name);
  return { ...spec, required };
}

export const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'];
export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
export const RATINGS = ['Hot', 'Warm', 'Cold'];
export const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
];
