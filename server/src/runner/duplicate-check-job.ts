import {
  DcErrorCode,
  type DcObject,
  type DcRunSummary,
  type DuplicateCheckJobConfig,
  RunErrorCode,
  type Scenario,
} from '@orglink/shared';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { SalesforceClient } from '../crm/salesforce/salesforce-client.ts';
import { REST_BASE, salesforceRequest } from '../crm/salesforce/salesforce-rest.ts';
import { connections, jobs } from '../db/schema.ts';
import { clearRunResults, dismissedPairs, orgKeyOf, storeRunResults } from '../domain/dedupe/dc-repository.ts';
import { objectsOf } from '../domain/dedupe/default-scenarios.ts';
import type { EnginePhase, EngineScenario, EngineSpec } from '../domain/dedupe/engine-types.ts';
import { fieldsToRead, MAX_RECORDS, TOO_MANY_RECORDS } from '../domain/dedupe/record-table.ts';
import { scenariosForJob } from '../domain/dedupe/scenario-service.ts';
import { ApiError } from '../http-errors.ts';
import { bulkQueryPages, call, salesforceRunFailure, waitForBulkJob } from './bulk-jobs.ts';
import { DcMatcher } from './dc-matcher.ts';
import type { RunProgress } from './run-progress.ts';
import { safePoint } from './safe-point.ts';
import { RunFailure } from './write-types.ts';

/** Up to this many records the REST query (2,000 per page) is cheaper than a Bulk job and its polling. */
const REST_QUERY_UP_TO = 2_000;
const BULK_PAGE = 100_000;

export function engineSpec(object: DcObject, scenarios: Scenario[]): EngineSpec {
  return {
    scenarios: scenarios.map(
      (scenario): EngineScenario => ({
        id: scenario.id,
        name: scenario.name,
        threshold: scenario.threshold,
        rules: scenario.rules.map((rule) => ({ ...rule, method: rule.method as EngineScenario['rules'][0]['method'] })),
      }),
    ),
    crossObject: object === 'Lead-Contact',
    nameField: 'Name',
    objects: objectsOf(object),
  };
}

/** The scenarios a job applies, each read now (a scenario changed since the job was defined applies as changed). */
export function jobScenarios(app: FastifyInstance, teamId: string, config: DuplicateCheckJobConfig): Scenario[] {
  try {
    return scenariosForJob(app.db, teamId, config.object, config.scenarioIds);
  } catch (error) {
    if (error instanceof ApiError) {
      throw new RunFailure(error.code, `${error.message} Edit the job to apply an existing scenario.`);
    }
    throw error;
  }
}

/**
 * A Duplicate Check run: reads the records (REST for a few, Bulk API 2.0 beyond), hands them page by page to a worker
 * thread that blocks, scores and groups them, then stores the groups with their explanations. Nothing is written to
 * the CRM, so a run resumed after a crash simply starts over (its partial results are cleared first).
 */
export async function runDuplicateCheck(app: FastifyInstance, progress: RunProgress): Promise<'completed'> {
  const run = progress.run;
  const job = run.jobId ? app.db.select().from(jobs).where(eq(jobs.id, run.jobId)).get() : undefined;
  const config = job?.config as DuplicateCheckJobConfig | undefined;
  if (!config?.object) throw new RunFailure(RunErrorCode.JobNotRunnable, 'This run has no Duplicate Check to do.');
  const connection = app.db
    .select({ kind: connections.kind, name: connections.name })
    .from(connections)
    .where(eq(connections.id, run.connectionId))
    .get();
  if (connection?.kind !== 'salesforce') {
    throw new RunFailure(
      DcErrorCode.ObjectNotOffered,
      `Duplicate Check runs against Salesforce connections; "${connection?.name ?? run.connectionName}" is not one.`,
    );
  }
  const scenarios = jobScenarios(app, run.teamId, config);
  const spec = engineSpec(config.object, scenarios);
  clearRunResults(app.db, run.id);
  const client = (await app.connectionClients.open(run.connectionId)) as SalesforceClient;
  const ctx = { client, progress };
  progress.setCounts({ processed: 0 });
  const matcher = new DcMatcher();
  try {
    await matcher.init(spec);
    const sides = objectsOf(config.object).map((object, side) => {
      const fields = fieldsToRead(spec, side);
      const from = `FROM ${object}${object === 'Lead' ? ' WHERE IsConverted = false' : ''}`;
      return { fields, soql: `SELECT ${fields.join(', ')} ${from}`, countSoql: `SELECT COUNT() ${from}` };
    });
    const counts: number[] = [];
    for (const { countSoql } of sides) {
      const answer = await call(ctx, 'query', () =>
        salesforceRequest<{ totalSize: number }>(client, 'GET', `/query?q=${encodeURIComponent(countSoql)}`),
      );
      counts.push(answer.totalSize);
    }
    const total = counts.reduce((sum, count) => sum + count, 0);
    // Refused before a Bulk job reads millions of rows only for the worker to refuse them at the end.
    if (total > MAX_RECORDS) {
      throw new RunFailure(
        DcErrorCode.TooManyRecords,
        `Salesforce counts ${total.toLocaleString('en-US')} records to compare. ${TOO_MANY_RECORDS}`,
      );
    }
    progress.setTotal(total);
    for (const [side, query] of sides.entries()) {
      if ((counts[side] ?? 0) <= REST_QUERY_UP_TO) await readByRest(app, ctx, matcher, side, query);
      else await readByBulk(app, ctx, matcher, side, query.soql);
    }
    progress.flush();
    const dismissed = dismissedPairs(app.db, run.teamId, run.connectionId);
    const result = await findWhileWatching(app, progress, matcher, dismissed);
    const summary: DcRunSummary = {
      object: config.object,
      recordsRead: result.recordsRead,
      pairsScored: result.pairsScored,
      pairsMatched: result.pairsMatched,
      groups: result.groupScore.length,
      pairsDismissed: result.pairsDismissed,
      scenarios: scenarios.map(({ id, name, threshold }) => ({ id, name, threshold })),
      fields: [
        ...new Set(
          spec.scenarios.flatMap((scenario) =>
            scenario.rules.flatMap((rule) => [
              rule.field,
              ...(spec.crossObject ? [rule.contactField ?? rule.field] : []),
            ]),
          ),
        ),
      ],
    };
    app.log.info(
      { runId: run.id, ...summary, scenarios: undefined, largeBlocks: result.largeBlocks, timings: result.timings },
      'duplicate check matched',
    );
    progress.setStage(`Saving ${result.groupScore.length.toLocaleString('en-US')} groups`);
    await storeRunResults(app.db, run.id, result, spec, summary, {
      teamId: run.teamId,
      orgKey: orgKeyOf(app.db, run.connectionId),
    });
    return 'completed';
  } catch (error) {
    throw asRunFailure(error);
  } finally {
    await matcher.close();
  }
}

const PHASE_WORDS: Readonly<Record<EnginePhase, string>> = {
  preparing: 'preparing the values',
  blocking: 'finding candidate pairs',
  scoring: 'scoring candidate pairs',
  grouping: 'grouping the matches',
};

/** Matching can take minutes on a million records: an abort or a stopping server ends the worker, not the wait. */
async function findWhileWatching(app: FastifyInstance, progress: RunProgress, matcher: DcMatcher, dismissed: string[]) {
  let timer: NodeJS.Timeout | undefined;
  let shown = '';
  const watch = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      try {
        safePoint(app, progress);
      } catch (error) {
        void matcher.close();
        reject(error);
      }
    }, 500);
  });
  try {
    return await Promise.race([
      matcher.find(dismissed, (phase, done, total) => {
        const percent = total > 0 ? Math.floor((done / total) * 100) : 0;
        const stage = `Matching: ${PHASE_WORDS[phase]}, ${percent}%`;
        if (stage !== shown) {
          shown = stage;
          progress.setStage(stage);
        }
      }),
      watch,
    ]);
  } finally {
    clearInterval(timer);
  }
}

interface QueryPage {
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

async function readByRest(
  app: FastifyInstance,
  ctx: { client: SalesforceClient; progress: RunProgress },
  matcher: DcMatcher,
  side: number,
  query: { fields: string[]; soql: string },
) {
  let path: string | undefined = `/query?q=${encodeURIComponent(query.soql)}`;
  while (path) {
    safePoint(app, ctx.progress);
    const next: string = path;
    const page = await call(ctx, 'query', () => salesforceRequest<QueryPage>(ctx.client, 'GET', next));
    const rows = page.records.map((record) =>
      query.fields.map((field) => {
        const value = record[field];
        return value === null || value === undefined ? '' : String(value);
      }),
    );
    await matcher.addRows(side, query.fields, rows);
    ctx.progress.count({ processed: rows.length });
    path = page.done ? undefined : page.nextRecordsUrl?.replace(REST_BASE, '');
  }
}

async function readByBulk(
  app: FastifyInstance,
  ctx: { client: SalesforceClient; progress: RunProgress },
  matcher: DcMatcher,
  side: number,
  soql: string,
) {
  const { id } = await call(ctx, 'bulk-query', () =>
    salesforceRequest<{ id: string }>(ctx.client, 'POST', '/jobs/query', { operation: 'query', query: soql }),
  );
  await waitForBulkJob(ctx, 'query', id);
  for await (const response of bulkQueryPages(ctx, id, BULK_PAGE, () => safePoint(app, ctx.progress))) {
    const rows = await matcher.addCsv(side, await response.text());
    ctx.progress.count({ processed: rows });
  }
}

/** Too many records (the worker's RangeError) or Salesforce's refusal fails the run with words the admin can act on. */
function asRunFailure(error: unknown): unknown {
  if (error instanceof Error && error.name === 'RangeError') {
    return new RunFailure(DcErrorCode.TooManyRecords, error.message);
  }
  return salesforceRunFailure(error, 'the Duplicate Check');
}
