import type {
  CreateIntegrationRequest,
  Integration,
  JobRun,
  MappingOptions,
  RunList,
  TargetObject,
  UpdateIntegrationRequest,
} from '@orglink/shared';
import type { ApiResult } from '../api/api-result.ts';

/**
 * The background's answer to "does this Catalog account mean anything to my team?" (gate 3 of the Catalog widget).
 * Signed out or a server that cannot answer leave the page untouched; signed in, the widget shows, linked or not.
 */
export type CatalogWidgetStatus =
  | { state: 'signed-out' }
  | { state: 'unavailable'; message: string }
  | {
      state: 'signed-in';
      /** The team's integration for this Catalog host, linked first; null when the account was never linked. */
      integration: Integration | null;
      /** Viewers see everything but change nothing; the reason is shown on the buttons they cannot use. */
      canEdit: boolean;
    };

/** A downloaded CSV: its text travels by message, so the token never leaves the background (see the handler). */
export interface CsvDownload {
  filename: string;
  text: string;
}

/** The Catalog widget's messages to the background (background/integration-handlers.ts). */
export interface CatalogWidgetProtocol {
  getCatalogWidgetStatus(catalogHost: string): CatalogWidgetStatus;
  createIntegration(input: CreateIntegrationRequest): ApiResult<Integration>;
  updateIntegration(input: { id: string; patch: UpdateIntegrationRequest }): ApiResult<Integration>;
  /** Unlinks: the server keeps the integration's history. */
  unlinkIntegration(id: string): ApiResult<null>;
  getMappingOptions(input: { id: string; target: TargetObject }): ApiResult<MappingOptions>;
  runIntegration(id: string): ApiResult<JobRun>;
  /** The integration's runs, newest first, enough for the history and its chart (30). */
  listIntegrationRuns(id: string): ApiResult<RunList>;
  downloadRunErrors(runId: string): ApiResult<CsvDownload>;
}
