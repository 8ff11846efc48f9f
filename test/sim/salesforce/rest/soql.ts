import { ApiError } from '../model/errors.ts';
import type { Org } from '../model/org.ts';
import { schema } from '../schema/registry.ts';
import { compileSoql, runSoql, SoqlError, type SoqlSchema } from '../soql/index.ts';

/** The org schema as the SOQL engine sees it. */
export const soqlSchema: SoqlSchema = {
  objectName: (name) => schema.object(name)?.name,
  field: (objectName, fieldName) => {
    const object = schema.object(objectName);
    const field = object ? schema.field(object, fieldName) : undefined;
    return field ? { name: field.name, type: field.type } : undefined;
  },
};

export interface SoqlResult {
  objectName: string;
  /** The SELECT list, canonical names. */
  fields: string[];
  isCount: boolean;
  totalSize: number;
  /** Projected rows; they always carry Id (for `attributes.url`) even when it was not selected. */
  rows: Record<string, unknown>[];
}

/**
 * Runs SOQL over an org's rows: live ones for query, the recycle bin too for queryAll. Bad queries become the 400
 * `[{"message","errorCode"}]` the REST and Bulk APIs answer.
 */
export function executeSoql(org: Org, text: string, includeDeleted: boolean): SoqlResult {
  if (!text.trim()) throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  let compiled: ReturnType<typeof compileSoql>;
  try {
    compiled = compileSoql(text, soqlSchema);
  } catch (error) {
    if (error instanceof SoqlError) throw new ApiError(400, error.errorCode, error.message);
    throw error;
  }
  const requested = [...compiled.fields];
  // The compiled query is ours: widen its projection so every row keeps the Id its attributes.url needs.
  if (!compiled.isCount && !requested.includes('Id')) compiled.fields = [...requested, 'Id'];
  const store = org.store(compiled.objectName);
  const { totalSize, records } = runSoql(compiled, includeDeleted ? store.all() : store.live());
  return { objectName: compiled.objectName, fields: requested, isCount: compiled.isCount, totalSize, rows: records };
}
