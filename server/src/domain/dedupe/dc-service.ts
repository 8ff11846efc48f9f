import { randomUUID } from 'node:crypto';
import {
  ConnectionErrorCode,
  type CreateDcJobRequest,
  type CreateDcJobResponse,
  DC_OBJECT_LABELS,
  DcErrorCode,
  type DcGroupList,
  type DcPair,
  type DcRecordMatches,
  type DcRunSummary,
  JobErrorCode,
  RunErrorCode,
  type Scenario,
} from '@orglink/shared';
import { and, desc, eq, inArray, isNull, or } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { dcDismissed, dcPairs, dcRecords, jobRuns, jobs } from '../../db/schema.ts';
import { ApiError } from '../../http-errors.ts';
import { publishJobsChanged } from '../connections/connection-events.ts';
import { findConnectionRow } from '../connections/connection-repository.ts';
import { crmCallProblem, describeCrmObject, openConnectionClient } from '../integrations/crm-fields.ts';
import { findTeamJob, loadJob } from '../jobs/job-repository.ts';
import { validateSchedule } from '../jobs/job-schedule.ts';
import { usableJobConnection } from '../jobs/job-service.ts';
import { findTeamRun } from '../runs/run-repository.ts';
import type { Caller } from '../teams/team-service.ts';
import { groupsPage, orgKeyOf, pairToApi } from './dc-repository.ts';
import { type DcSObject, objectsOf } from './default-scenarios.ts';
import { scenariosForJob } from './scenario-service.ts';

/** Salesforce Id key prefixes: which object a record page shows, for the badge. */
const KEY_PREFIXES: Record<string, DcSObject> = {
  '003': 'Contact',
  '00Q': 'Lead',
  '001': 'Account',
};

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** Salesforce's 18-character form of a 15-character Id (the suffix encodes which letters are upper case). */
export function eighteenCharacterId(id: string): string {
  if (id.length !== 15) return id;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let flags = 0;
    for (let at = 0; at < 5; at += 1) {
      const char = id.charAt(chunk * 5 + at);
      if (char >= 'A' && char <= 'Z') flags += 1 << at;
    }
    suffix += CHECKSUM_ALPHABET.charAt(flags);
  }
  return id + suffix;
}

/** A live, active Salesforce connection of the caller's team: Duplicate Check reads Salesforce only. */
function usableConnection(app: FastifyInstance, caller: Caller, connectionId: string) {
  const connection = usableJobConnection(app.db, caller, connectionId);
  if (connection.kind !== 'salesforce') {
    throw new ApiError(
      400,
      DcErrorCode.ObjectNotOffered,
      `Duplicate Check runs against Salesforce connections; "${connection.name}" is a Dynamics 365 connection. Pick a Salesforce connection.`,
    );
  }
  return connection;
}

/** Every field the scenarios compare must exist in this org (custom fields included): checked by describe now. */
async function checkFieldsExist(
  app: FastifyInstance,
  connectionId: string,
  object: Scenario['object'],
  scenarios: Scenario[],
) {
  const client = await openConnectionClient(app, connectionId);
  for (const [side, sObject] of objectsOf(object).entries()) {
    let fields: Set<string>;
    try {
      fields = new Set((await describeCrmObject(client, sObject)).fields.map((field) => field.name));
    } catch (error) {
      throw crmCallProblem(error);
    }
    for (const scenario of scenarios) {
      for (const rule of scenario.rules) {
        const field = side === 0 ? rule.field : (rule.contactField ?? rule.field);
        if (!fields.has(field)) {
          throw new ApiError(
            400,
            DcErrorCode.ScenarioInvalid,
            `The scenario "${scenario.name}" compares ${sObject}.${field}, which this org does not have (or its user cannot see). Change the scenario's rule or the field's visibility.`,
            { scenarioId: scenario.id, field },
          );
        }
      }
    }
  }
}

/** Defines a Duplicate Check job; without a schedule it runs once, now. */
export async function createDcJob(
  app: FastifyInstance,
  caller: Caller,
  input: CreateDcJobRequest,
): Promise<CreateDcJobResponse> {
  const connection = usableConnection(app, caller, input.connectionId);
  const scenarioIds = input.scenarioIds ? [...new Set(input.scenarioIds)] : undefined;
  const scenarios = scenariosForJob(app.db, caller.teamId, input.object, scenarioIds);
  const schedule = input.schedule !== undefined ? validateSchedule(input.schedule).schedule : null;
  await checkFieldsExist(app, connection.id, input.object, scenarios);
  const name = input.name?.trim() || `Duplicate Check: ${DC_OBJECT_LABELS[input.object]}`;
  const id = randomUUID();
  app.db
    .insert(jobs)
    .values({
      id,
      teamId: caller.teamId,
      connectionId: connection.id,
      kind: 'duplicate-check',
      name,
      config: { object: input.object, ...(scenarioIds ? { scenarioIds } : {}) },
      schedule,
      state: 'active',
      createdBy: caller.userId,
      createdAt: new Date().toISOString(),
    })
    .run();
  publishJobsChanged(app, caller.teamId, [id]);
  if (schedule) app.runner.scheduler.refresh();
  const run = schedule ? null : app.runner.enqueue({ jobId: id, trigger: 'manual', startedBy: caller.userId });
  const job = loadJob(app.db, id);
  if (!job) throw new Error(`job ${id} vanished after insert`);
  return { job, run };
}

function duplicateCheckRun(app: FastifyInstance, teamId: string, runId: string) {
  const run = findTeamRun(app.db, teamId, runId);
  if (run.kind !== 'duplicate-check') {
    throw new ApiError(
      400,
      DcErrorCode.NotDuplicateCheckRun,
      `This run is a ${run.kind} run; groups exist for Duplicate Check runs only.`,
    );
  }
  return run;
}

export function listGroups(
  app: FastifyInstance,
  teamId: string,
  runId: string,
  cursor: string | undefined,
  limit = 50,
): DcGroupList {
  const run = duplicateCheckRun(app, teamId, runId);
  const page = groupsPage(app.db, run.id, cursor ? Number(cursor) : 0, limit);
  return { runId: run.id, summary: (run.summary as DcRunSummary | null) ?? null, ...page };
}

function teamPair(app: FastifyInstance, teamId: string, pairId: string) {
  const row = app.db
    .select({ pair: dcPairs, teamId: jobRuns.teamId, connectionId: jobRuns.connectionId })
    .from(dcPairs)
    .innerJoin(jobRuns, eq(jobRuns.id, dcPairs.runId))
    .where(eq(dcPairs.id, pairId))
    .get();
  if (!row || row.teamId !== teamId) {
    throw new ApiError(404, DcErrorCode.PairNotFound, 'There is no such pair in your team. Reload the results.');
  }
  return row;
}

/**
 * "Not a duplicate" (dismissed: true): the pair is hidden here and skipped by every later run on the same org; false
 * undoes it, so the pair shows again and later runs may find it again. Idempotent both ways.
 */
export function setPairDismissed(app: FastifyInstance, caller: Caller, pairId: string, dismissed: boolean): DcPair {
  const { pair, connectionId } = teamPair(app, caller.teamId, pairId);
  const [recordA, recordB] = pair.recordA < pair.recordB ? [pair.recordA, pair.recordB] : [pair.recordB, pair.recordA];
  const orgKey = orgKeyOf(app.db, connectionId);
  const now = dismissed ? new Date().toISOString() : null;
  const updated = app.db.transaction((tx) => {
    if (now) {
      tx.insert(dcDismissed)
        .values({ teamId: caller.teamId, orgKey, recordA, recordB, dismissedBy: caller.userId, dismissedAt: now })
        .onConflictDoNothing()
        .run();
    } else {
      tx.delete(dcDismissed)
        .where(
          and(
            eq(dcDismissed.teamId, caller.teamId),
            eq(dcDismissed.orgKey, orgKey),
            eq(dcDismissed.recordA, recordA),
            eq(dcDismissed.recordB, recordB),
          ),
        )
        .run();
    }
    // A dismissal covers the pair in every run of the team (older results, the badge, exports), not one run's row.
    tx.update(dcPairs)
      .set({ dismissedAt: now })
      .where(
        and(
          or(
            and(eq(dcPairs.recordA, recordA), eq(dcPairs.recordB, recordB)),
            and(eq(dcPairs.recordA, recordB), eq(dcPairs.recordB, recordA)),
          ),
          inArray(dcPairs.runId, tx.select({ id: jobRuns.id }).from(jobRuns).where(eq(jobRuns.teamId, caller.teamId))),
        ),
      )
      .run();
    return tx.select().from(dcPairs).where(eq(dcPairs.id, pair.id)).get();
  });
  return pairToApi(updated ?? pair);
}

/** A scheduled run held because auto-run is off: an admin starts it. */
export function startAwaitingRun(app: FastifyInstance, teamId: string, runId: string) {
  const run = findTeamRun(app.db, teamId, runId);
  if (!run.awaitingStart || run.status !== 'holding') {
    throw new ApiError(
      409,
      RunErrorCode.AlreadyActive,
      'This run is not waiting for an admin to start it (only scheduled Duplicate Checks held by the auto-run setting do).',
    );
  }
  return app.runner.startAwaiting(run.id);
}

/** Runs an existing Duplicate Check job now. */
export function runDcJobNow(app: FastifyInstance, caller: Caller, jobId: string) {
  const job = findTeamJob(app.db, caller.teamId, jobId);
  if (!job) throw new ApiError(404, JobErrorCode.NotFound, 'There is no such job in your team. Reload the job list.');
  if (job.kind !== 'duplicate-check') {
    throw new ApiError(
      409,
      RunErrorCode.JobNotRunnable,
      `"${job.name}" is a ${job.kind} job: run write jobs from their integration, activities from the Activities page.`,
    );
  }
  usableConnection(app, caller, job.connectionId);
  return app.runner.enqueue({ jobId: job.id, trigger: 'manual', startedBy: caller.userId });
}

/** The badge on a Salesforce record page: the record's open matches in the latest finished run that read it. */
export function recordMatches(
  app: FastifyInstance,
  teamId: string,
  connectionId: string,
  recordId: string,
): DcRecordMatches {
  recordId = eighteenCharacterId(recordId);
  const empty: DcRecordMatches = { recordId, runId: null, finishedAt: null, matches: [] };
  const object = KEY_PREFIXES[recordId.slice(0, 3)];
  if (!findConnectionRow(app.db, teamId, connectionId)) {
    throw new ApiError(
      404,
      ConnectionErrorCode.NotFound,
      'There is no such connection in your team. Reload the page, or sign in to the team that connected this org.',
    );
  }
  if (!object) return empty;
  const runs = app.db
    .select({ id: jobRuns.id, summary: jobRuns.summary, finishedAt: jobRuns.finishedAt })
    .from(jobRuns)
    .where(
      and(eq(jobRuns.connectionId, connectionId), eq(jobRuns.kind, 'duplicate-check'), eq(jobRuns.status, 'completed')),
    )
    .orderBy(desc(jobRuns.finishedAt))
    .limit(20)
    .all();
  const latest = runs.find((run) => {
    const covered = (run.summary as DcRunSummary | null)?.object;
    return covered && objectsOf(covered).includes(object);
  });
  if (!latest) return empty;
  const pairs = app.db
    .select()
    .from(dcPairs)
    .where(
      and(
        eq(dcPairs.runId, latest.id),
        isNull(dcPairs.dismissedAt),
        or(eq(dcPairs.recordA, recordId), eq(dcPairs.recordB, recordId)),
      ),
    )
    .orderBy(desc(dcPairs.score))
    .all();
  const others = pairs.map((pair) => (pair.recordA === recordId ? pair.recordB : pair.recordA));
  const names = new Map(
    others.length
      ? app.db
          .select({ id: dcRecords.recordId, name: dcRecords.name, object: dcRecords.object })
          .from(dcRecords)
          .where(and(eq(dcRecords.runId, latest.id), inArray(dcRecords.recordId, others)))
          .all()
          .map((record) => [record.id, record])
      : [],
  );
  return {
    recordId,
    runId: latest.id,
    finishedAt: latest.finishedAt,
    matches: pairs.map((pair, at) => {
      const other = others[at] as string;
      const fields = pairToApi(pair).fields;
      return {
        pairId: pair.id,
        recordId: other,
        object: names.get(other)?.object ?? object,
        name: names.get(other)?.name ?? other,
        score: pair.score,
        reasons: fields
          .filter((field) => field.score !== null && field.score >= 80)
          .sort((x, y) => y.weight - x.weight)
          .slice(0, 3)
          .map((field) => `${field.field}: ${field.reason}`),
      };
    }),
  };
}
