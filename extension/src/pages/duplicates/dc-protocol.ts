import type {
  CreateDcJobRequest,
  CreateDcJobResponse,
  CreateScenarioRequest,
  DcGroupList,
  DcObject,
  DcPair,
  JobRun,
  Scenario,
  ScenarioList,
  UpdateScenarioRequest,
} from '@orglink/shared';
import type { ApiResult } from '../../api/api-result.ts';
import type { RecordDuplicatesStatus } from '../../features/record-duplicates-status.ts';

/** Duplicate Check's messages to the background (background/dc-handlers.ts). */
export interface DuplicateCheckProtocol {
  listDcScenarios(object: DcObject): ApiResult<ScenarioList>;
  createDcScenario(request: CreateScenarioRequest): ApiResult<Scenario>;
  updateDcScenario(input: { id: string; patch: UpdateScenarioRequest }): ApiResult<Scenario>;
  deleteDcScenario(id: string): ApiResult<null>;
  /** Without a schedule the job runs now; with one it is defined and `run` is null. */
  createDcJob(request: CreateDcJobRequest): ApiResult<CreateDcJobResponse>;
  runJob(jobId: string): ApiResult<JobRun>;
  /** Starts a run that waits in Holding because its connection does not auto-run Duplicate Check jobs. */
  startRun(runId: string): ApiResult<JobRun>;
  getDcGroups(input: { runId: string; cursor?: string }): ApiResult<DcGroupList>;
  dismissDcPair(pairId: string): ApiResult<DcPair>;
  restoreDcPair(pairId: string): ApiResult<DcPair>;
  /** From a Salesforce record page: the background finds the page's connection itself, as for the org badge. */
  getRecordDuplicates(input: { recordId: string }): RecordDuplicatesStatus;
}
