import type { SoqlFieldType } from '../soql/index.ts';

/**
 * Field types the simulated objects use (the Salesforce describe `type` values). The SOQL engine owns the list, since
 * it must type-check every one of them and is a standalone module; the schema reuses it under its own name.
 */
export type FieldType = SoqlFieldType;

export interface PicklistEntry {
  value: string;
  label?: string;
  defaultValue?: boolean;
}

/** One field of an sObject: enough to validate writes and to produce a describe identical in shape to the real one. */
export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  /** Characters, for text types. */
  length?: number;
  /** Total digits and decimals, for number types. */
  precision?: number;
  scale?: number;
  /** Digits, for `int`. */
  digits?: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  /** Set by the platform when the client leaves it out (OwnerId, Status, audit fields, checkboxes). */
  defaultedOnCreate?: boolean;
  defaultValue?: string | boolean | null;
  unique?: boolean;
  externalId?: boolean;
  idLookup?: boolean;
  caseSensitive?: boolean;
  custom?: boolean;
  calculated?: boolean;
  nameField?: boolean;
  autoNumber?: boolean;
  picklistValues?: PicklistEntry[];
  restrictedPicklist?: boolean;
  referenceTo?: string[];
  relationshipName?: string;
  htmlFormatted?: boolean;
  inlineHelpText?: string;
  /** Not filterable/sortable in SOQL (long text areas). */
  longText?: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: FieldDef[];
  /** Fields that must have a value on insert (and cannot be blanked on update). */
  required: string[];
}
