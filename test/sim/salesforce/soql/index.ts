/**
 * The SOQL engine of the Salesforce simulator: a pure module (no HTTP) that the REST query and Bulk 2.0 query
 * endpoints call. compileSoql checks a query against the org's schema once; runSoql runs it over stored rows.
 * Supported subset and every behaviour chosen where Salesforce's docs are silent: README.md in this folder.
 */
export { compileSoql } from './compile.ts';
export { SoqlError, type SoqlErrorCode } from './errors.ts';
export { runSoql } from './run.ts';
export type { CompiledSoql, SoqlFieldType, SoqlRecord, SoqlSchema } from './types.ts';
