import type {
  ActivityRequest,
  ActivityRun,
  ActivityUpload,
  CrmField,
  QueryCount,
  QueryCountRequest,
  ResultRows,
} from '@orglink/shared';
import type { ApiResult } from '../../api/api-result.ts';
import type { CsvDownload } from '../../features/catalog-widget-protocol.ts';

export interface ObjectFields {
  object: string;
  fields: CrmField[];
}

/**
 * The Activities page's messages to the background (background/activity-handlers.ts). An upload travels in slices
 * (begin, append each, finish): see csv-upload-plan.ts for why one message cannot carry a file.
 */
export interface ActivityProtocol {
  getObjectFields(input: { connectionId: string; object: string }): ApiResult<ObjectFields>;
  startActivity(input: { connectionId: string; request: ActivityRequest }): ApiResult<ActivityRun>;
  countActivityQuery(input: { connectionId: string; request: QueryCountRequest }): ApiResult<QueryCount>;
  getRunRows(input: { runId: string; from: number; count: number }): ApiResult<ResultRows>;
  downloadRunCsv(input: { runId: string; file: 'results' | 'errors' }): ApiResult<CsvDownload>;
  beginActivityUpload(input: { connectionId: string; bytes: number }): ApiResult<{ uploadKey: string }>;
  appendActivityUpload(input: { uploadKey: string; text: string }): ApiResult<null>;
  finishActivityUpload(uploadKey: string): ApiResult<ActivityUpload>;
}
