import { type ActivityKind, QUERY_ACTIVITIES } from '@orglink/shared';

/** Salesforce's word for each DML activity, in Bulk API 2.0's `operation` and in the standard calls. */
export const BULK_OPERATION: Partial<Record<ActivityKind, string>> = {
  'bulk-insert': 'insert',
  'bulk-update': 'update',
  'bulk-upsert': 'upsert',
  'bulk-delete': 'delete',
  'bulk-hard-delete': 'hardDelete',
};

/** The checked activity as the run executes it: kept in the job's config, so a resumed run does the same thing. */
export interface ActivityConfig {
  activity: ActivityKind;
  object: string;
  /** Query and Bulk Query. */
  soql: string | null;
  externalIdField: string | null;
  allOrNone: boolean;
  /** The input: a CSV file (the run's own, or an upload) and, per CSV column, the field it fills (null: skipped). */
  input: { file: string; targets: (string | null)[] } | null;
  /** How many input rows there are (uploads are counted when stored), for the run's total from the start. */
  rowCount?: number;
  /** Describe's type per field written, to send numbers and booleans as such through the REST API. */
  fieldTypes: Record<string, string>;
  /** Bulk Query: the job created (and so checked by Salesforce) when the activity was requested. */
  bulkQueryJobId?: string;
}

export const isQuery = (activity: ActivityKind) => QUERY_ACTIVITIES.includes(activity);
export const isDelete = (activity: ActivityKind) =>
  activity === 'delete' || activity === 'bulk-delete' || activity === 'bulk-hard-delete';
