import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { DcFieldScore, DcGroup, DcPair, DcRecord, DcRunSummary } from '@orglink/shared';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { OrgLinkDatabase } from '../../db/database.ts';
import { connections, dcDismissed, dcGroups, dcPairs, dcRecords, jobRuns } from '../../db/schema.ts';
import { csvLine } from '../runs/run-csv.ts';
import type { CompactResult, EngineSpec } from './engine-types.ts';

/** Groups per transaction while storing results: short enough that API requests slip in between. */
const STORE_CHUNK = 200;

/** Dismissals belong to the org (its Salesforce Org ID), so they survive re-connecting it under a new connection. */
export function orgKeyOf(db: OrgLinkDatabase, connectionId: string): string {
  const connection = db
    .select({ externalOrgId: connections.externalOrgId })
    .from(connections)
    .where(eq(connections.id, connectionId))
    .get();
  return connection?.externalOrgId ?? connectionId;
}

export function dismissedPairs(db: OrgLinkDatabase, teamId: string, connectionId: string): string[] {
  return db
    .select({ a: dcDismissed.recordA, b: dcDismissed.recordB })
    .from(dcDismissed)
    .where(and(eq(dcDismissed.teamId, teamId), eq(dcDismissed.orgKey, orgKeyOf(db, connectionId))))
    .all()
    .map(({ a, b }) => `${a}|${b}`);
}

/** A resumed run starts over: what a crashed attempt stored goes first. */
export function clearRunResults(db: OrgLinkDatabase, runId: string) {
  db.transaction((tx) => {
    tx.delete(dcPairs).where(eq(dcPairs.runId, runId)).run();
    tx.delete(dcRecords).where(eq(dcRecords.runId, runId)).run();
    tx.delete(dcGroups).where(eq(dcGroups.runId, runId)).run();
  });
}

/**
 * Stores the groups, their records and explained pairs in chunks (yielding between them, so a run with 100,000
 * pairs does not stall the API), then the summary. The run is marked completed only after this, so a crash in
 * between leaves a run that starts over, never half its groups shown as the result. Prepared statements with the
 * worker's JSON as is: no object per row on the API's heap.
 */
export async function storeRunResults(
  db: OrgLinkDatabase,
  runId: string,
  result: CompactResult,
  spec: EngineSpec,
  summary: DcRunSummary,
  dismissedFor: { teamId: string; orgKey: string },
) {
  const sqlite = db.$client;
  const insertGroup = sqlite.prepare('insert into dc_groups (id, run_id, rank, score, size) values (?, ?, ?, ?, ?)');
  const insertRecord = sqlite.prepare(
    'insert into dc_records (run_id, record_id, group_id, object, name, "values") values (?, ?, ?, ?, ?, ?)',
  );
  const insertPair = sqlite.prepare(
    `insert into dc_pairs (id, run_id, group_id, record_a, record_b, score, scenario_id, scenario_name, fields)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const groups = result.groupScore.length;
  const storeGroups = sqlite.transaction((from: number, to: number) => {
    for (let g = from; g < to; g += 1) {
      const groupId = `dcg_${randomUUID()}`;
      const recordsFrom = result.groupRecordStart[g] ?? 0;
      const recordsTo = result.groupRecordStart[g + 1] ?? 0;
      insertGroup.run(groupId, runId, g, result.groupScore[g] ?? 0, recordsTo - recordsFrom);
      for (let k = recordsFrom; k < recordsTo; k += 1) {
        const r = result.groupRecords[k] ?? 0;
        insertRecord.run(
          runId,
          result.recordIds[r],
          groupId,
          result.recordObjects[r],
          result.recordNames[r],
          result.recordValues[r],
        );
      }
      for (let k = result.groupPairStart[g] ?? 0; k < (result.groupPairStart[g + 1] ?? 0); k += 1) {
        const p = result.groupPairs[k] ?? 0;
        const scenario = spec.scenarios[result.pairScenario[p] ?? 0];
        insertPair.run(
          `dcp_${randomUUID()}`,
          runId,
          groupId,
          result.recordIds[result.pairA[p] ?? 0],
          result.recordIds[result.pairB[p] ?? 0],
          result.pairScore[p] ?? 0,
          scenario?.id ?? '',
          scenario?.name ?? '',
          result.pairFields[p],
        );
      }
    }
  });
  for (let from = 0; from < groups; from += STORE_CHUNK) {
    storeGroups(from, Math.min(groups, from + STORE_CHUNK));
    await yieldToEvents();
  }
  // A pair dismissed while this run was matching was not in its list: mark it now, as every other run has it.
  sqlite
    .prepare(
      `update dc_pairs set dismissed_at = (select d.dismissed_at from dc_dismissed d
         where d.team_id = @team and d.org_key = @org
           and d.record_a = min(dc_pairs.record_a, dc_pairs.record_b) and d.record_b = max(dc_pairs.record_a, dc_pairs.record_b))
       where run_id = @run and dismissed_at is null and exists (select 1 from dc_dismissed d
         where d.team_id = @team and d.org_key = @org
           and d.record_a = min(dc_pairs.record_a, dc_pairs.record_b) and d.record_b = max(dc_pairs.record_a, dc_pairs.record_b))`,
    )
    .run({ team: dismissedFor.teamId, org: dismissedFor.orgKey, run: runId });
  db.update(jobRuns).set({ summary }).where(eq(jobRuns.id, runId)).run();
}

type PairRow = typeof dcPairs.$inferSelect;
type RecordRow = typeof dcRecords.$inferSelect;

export function pairToApi(row: PairRow): DcPair {
  return {
    id: row.id,
    recordA: row.recordA,
    recordB: row.recordB,
    score: row.score,
    scenarioId: row.scenarioId,
    scenarioName: row.scenarioName,
    dismissed: row.dismissedAt !== null,
    fields: row.fields as DcFieldScore[],
  };
}

function recordToApi(row: RecordRow): DcRecord {
  return { id: row.recordId, object: row.object, name: row.name, values: row.values as DcRecord['values'] };
}

/** One page of a run's groups, highest score first, each with its records and pairs. */
export function groupsPage(db: OrgLinkDatabase, runId: string, from: number, limit: number) {
  const groups = db
    .select()
    .from(dcGroups)
    .where(eq(dcGroups.runId, runId))
    .orderBy(asc(dcGroups.rank))
    .limit(limit + 1)
    .offset(from)
    .all();
  const page = groups.slice(0, limit);
  const ids = page.map((group) => group.id);
  const records = ids.length ? db.select().from(dcRecords).where(inArray(dcRecords.groupId, ids)).all() : [];
  const pairs = ids.length
    ? db.select().from(dcPairs).where(inArray(dcPairs.groupId, ids)).orderBy(asc(dcPairs.recordA)).all()
    : [];
  const result: DcGroup[] = page.map((group) => ({
    id: group.id,
    score: group.score,
    records: records.filter((record) => record.groupId === group.id).map(recordToApi),
    pairs: pairs
      .filter((pair) => pair.groupId === group.id)
      .sort((x, y) => y.score - x.score)
      .map(pairToApi),
  }));
  return { groups: result, nextCursor: groups.length > limit ? String(from + limit) : null };
}

/**
 * results.csv of a Duplicate Check run: one line per record of each group, with the group's score, the record's
 * best match in the group and why. Compared fields become columns. Read 200 groups at a time; cells neutralised.
 */
export function* duplicateGroupsCsv(
  db: OrgLinkDatabase,
  runId: string,
  summary: DcRunSummary | null,
): Generator<string> {
  // The run names its compared fields; a run stored before it did has them in its records' values.
  const fields = new Set(summary?.fields ?? []);
  if (!summary?.fields) {
    for (const row of db.select({ values: dcRecords.values }).from(dcRecords).where(eq(dcRecords.runId, runId)).all()) {
      for (const field of Object.keys(row.values as Record<string, unknown>)) fields.add(field);
    }
  }
  const columns = [...fields];
  yield csvLine([
    'group',
    'group_score',
    'record_id',
    'object',
    'name',
    ...columns,
    'best_match_id',
    'best_match_score',
    'dismissed',
    'reasons',
  ]);
  let cursor: string | null = '0';
  let group = 0;
  while (cursor !== null) {
    const page = groupsPage(db, runId, Number(cursor), 200);
    const lines: string[] = [];
    for (const dcGroup of page.groups) {
      group += 1;
      for (const record of dcGroup.records) {
        const best = dcGroup.pairs.find((pair) => pair.recordA === record.id || pair.recordB === record.id);
        const other = best ? (best.recordA === record.id ? best.recordB : best.recordA) : '';
        lines.push(
          csvLine([
            String(group),
            String(dcGroup.score),
            record.id,
            record.object,
            record.name,
            ...columns.map((field) => record.values[field] ?? ''),
            other,
            best ? String(best.score) : '',
            best?.dismissed ? 'yes' : 'no',
            best
              ? best.fields
                  .filter((field) => field.score !== null)
                  .map((field) => `${field.field} ${field.score}: ${field.reason}`)
                  .join('; ')
              : '',
          ]),
        );
      }
    }
    if (lines.length) yield lines.join('');
    cursor = page.nextCursor;
  }
}
