import { type FieldMapping, RunErrorCode } from '@orglink/shared';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { integrations } from '../db/schema.ts';
import { preparedPerDatabase } from '../domain/prepared-queries.ts';
import { CatalogClient, CatalogTokenRejected, CatalogUnavailable } from '../sources/catalog/catalog-client.ts';
import { DynamicsWriter } from './dynamics-writer.ts';
import { PendingWrites } from './pending-writes.ts';
import type { PreparedRecord } from './record-prep.ts';
import type { RecordOutcome, RunProgress } from './run-progress.ts';
import { safePoint } from './safe-point.ts';
import { SalesforceWriter } from './salesforce-writer.ts';
import type { WorkerPool } from './worker-pool.ts';
import { type CrmWriter, RunAborted, RunFailure, type WriteCheckpoint, type WriteItem } from './write-types.ts';

/** Catalog pages read at once: enough to hide latency, few enough to stay inside the API's limits. */
const PAGES_IN_FLIGHT = 4;

/**
 * The Catalog-to-CRM write job: read every Catalog user, map and hash (in worker threads), diff against the sync
 * state so only new or changed records are written, write them, record every outcome. Idempotent on resume: users
 * this run already recorded are skipped, and a write batch left in flight is settled from the CRM before anything
 * is sent again.
 */
export async function runWriteJob(
  app: FastifyInstance,
  progress: RunProgress,
  pool: WorkerPool,
): Promise<'completed' | 'completed-with-errors'> {
  const run = progress.run;
  const integration = run.integrationId
    ? app.db.select().from(integrations).where(eq(integrations.id, run.integrationId)).get()
    : undefined;
  if (!integration || integration.unlinkedAt) {
    throw new RunFailure(
      RunErrorCode.JobNotRunnable,
      'The integration of this write job was unlinked. Link the Catalog account again to run it.',
    );
  }
  const client = await app.connectionClients.open(run.connectionId);
  const checkAbort = () => {
    stopIfUnlinked(app, integration.id);
    safePoint(app, progress);
  };
  const ctx = {
    progress,
    pool,
    target: integration.target,
    matchKey: integration.matchKey,
    externalIdField: integration.externalIdField,
    checkAbort,
  };
  const writer: CrmWriter =
    client.kind === 'salesforce' ? new SalesforceWriter(client, ctx) : new DynamicsWriter(client, ctx);

  const catalog = new CatalogClient({
    baseUrl: (await app.catalogAccounts.endpoint(integration.catalogHost)).baseUrl,
    token: app.secrets.open(integration.catalogToken, integration.id),
    // Counted with the CRM's calls, under their own kind: Catalog's limits are the other half of a run's budget.
    onRequest: () => progress.countCall('catalog'),
  });
  const externalIdField = integration.matchKey === 'external-id' ? integration.externalIdField : null;
  const pending = new PendingWrites(app.db.$client, run.id);
  // Left by an attempt of this run that was held or failed in this process: rebuilt from Catalog below.
  pending.clear();
  try {
    await readChangedUsers(app, progress, pool, catalog, pending, {
      integrationId: integration.id,
      fieldMap: integration.fieldMap as FieldMapping[],
      externalIdField,
      checkAbort,
    });
    const checkpoint = progress.checkpointValue() as WriteCheckpoint | null;
    if (checkpoint?.inflight) await writer.recover(checkpoint.inflight, pending);
    checkAbort();
    await writer.write(pending);
  } finally {
    pending.clear();
  }
  progress.flush();
  return progress.counts.failed > 0 ? 'completed-with-errors' : 'completed';
}

/** An integration unlinked mid-run ends the run; read fresh, as an admin may unlink it at any moment. */
const integrationUnlinkedAt = preparedPerDatabase((db) =>
  db
    .select({ unlinkedAt: integrations.unlinkedAt })
    .from(integrations)
    .where(eq(integrations.id, sql.placeholder('id')))
    .prepare(),
);

function stopIfUnlinked(app: FastifyInstance, integrationId: string) {
  const integration = integrationUnlinkedAt(app.db).get({ id: integrationId });
  if (!integration || integration.unlinkedAt) {
    throw new RunAborted('The integration was unlinked. Records written before the unlink are kept.');
  }
}

/** Catalog did not answer, or answered a page OrgLink cannot read: nothing is lost by running the job again. */
function catalogUnavailable(message: string): RunFailure {
  return new RunFailure(
    RunErrorCode.CatalogUnavailable,
    `${message} Nothing was lost; run the job again when Catalog answers.`,
  );
}

type UsersPageBody = Awaited<ReturnType<CatalogClient['usersPageBody']>>;

interface ReadOptions {
  integrationId: string;
  fieldMap: FieldMapping[];
  externalIdField: string | null;
  checkAbort: () => void;
}

async function readChangedUsers(
  app: FastifyInstance,
  progress: RunProgress,
  pool: WorkerPool,
  catalog: CatalogClient,
  pending: PendingWrites,
  options: ReadOptions,
): Promise<void> {
  const recorded = progress.recordedKeys();
  // Read per page, by primary key, rather than all at once: a 100,000-user state held for the whole read cost
  // tens of MB of heap for keys that are each looked at once.
  const syncedRows = app.db.$client.prepare<[string, string], { key: string; hash: string; targetId: string | null }>(
    `select source_key as key, values_hash as hash, target_id as targetId from sync_state
     where integration_id = ? and source_key in (select value from json_each(?))`,
  );
  const syncedOf = (keys: string[]) =>
    new Map(syncedRows.all(options.integrationId, JSON.stringify(keys)).map((row) => [row.key, row]));
  let total = 0;

  const take = async (page: UsersPageBody) => {
    let prepared: PreparedRecord[];
    try {
      prepared = await pool.prepare({
        pageBody: page.body,
        fieldMap: options.fieldMap,
        externalIdField: options.externalIdField,
      });
    } catch (error) {
      // Thrown in the worker, so it arrives as a plain Error with the class's name.
      if ((error as Error).name !== CatalogUnavailable.name) throw error;
      throw catalogUnavailable((error as Error).message);
    }
    total += prepared.length;
    const synced = syncedOf(prepared.map((record) => record.key));
    const unchanged: RecordOutcome[] = [];
    const changed: WriteItem[] = [];
    for (const record of prepared) {
      if (recorded.has(record.key)) continue;
      const last = synced.get(record.key);
      if (last?.hash === record.hash) {
        unchanged.push({ key: record.key, action: 'unchanged', targetId: last.targetId });
      } else {
        changed.push({ ...record, known: last !== undefined, targetId: last?.targetId ?? null });
      }
    }
    pending.add(changed, options.externalIdField);
    progress.record(unchanged);
  };

  const read = async (pageNumber: number) => {
    options.checkAbort();
    try {
      return await catalog.usersPageBody({ page: pageNumber });
    } catch (error) {
      if (error instanceof CatalogTokenRejected) throw new RunFailure(RunErrorCode.CatalogTokenRejected, error.message);
      if (error instanceof CatalogUnavailable) throw catalogUnavailable(error.message);
      throw error;
    }
  };

  const first = await read(1);
  await take(first);
  // Known after one page: an estimate (a full page per page) is shown at once and corrected when every page is read.
  if (first.lastPage !== undefined) progress.setTotal(Math.max(total, total * first.lastPage));
  if (first.lastPage !== undefined) {
    let next = 2;
    const lastPage = first.lastPage;
    // One lane failing stops the others, and the run ends only once every lane has: none may still be adding
    // records to the spool after it is cleared.
    let stopped = false;
    const lane = async () => {
      while (!stopped && next <= lastPage) {
        try {
          const page = await read(next++);
          await take(page);
        } catch (error) {
          stopped = true;
          throw error;
        }
      }
    };
    const lanes = await Promise.allSettled(Array.from({ length: PAGES_IN_FLIGHT }, lane));
    const failure = lanes.find((lane) => lane.status === 'rejected');
    if (failure) throw failure.reason;
  } else {
    for (let page = first, number = 2; page.hasNext; number += 1) {
      page = await read(number);
      await take(page);
      // Without a last-page link the total is only known as pages arrive.
      progress.setTotal(total);
    }
  }
  progress.setTotal(total);
}
