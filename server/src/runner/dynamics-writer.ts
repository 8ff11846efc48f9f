import { randomUUID } from 'node:crypto';
import { RunErrorCode } from '@orglink/shared';
import type { DynamicsClient } from '../crm/dynamics/dynamics-client.ts';
import type { PendingWrites } from './pending-writes.ts';
import { backoffMs, retryAfterMs, sleep, withRetry } from './retry.ts';
import type { RecordOutcome } from './run-progress.ts';
import {
  type CrmWriter,
  type InflightWrite,
  MAX_RECORD_ATTEMPTS,
  RunFailure,
  type WriteItem,
  type WriterContext,
} from './write-types.ts';

/** Requests per $batch: well under Dataverse's 1000, so one slow batch does not hit the 2-minute request timeout. */
const BATCH_SIZE = 500;
const TRANSIENT_STATUSES = new Set([429, 503, 502, 504]);

/**
 * Writes to Dataverse contacts / leads with `$batch`: one PATCH per record addressed by the alternate key
 * (`contacts(lms_userid='123')`), which Dataverse treats as an upsert, with continue-on-error so one bad record does
 * not stop the others. Upsert by key is idempotent, so the batch a crash left in flight is simply sent again.
 */
export class DynamicsWriter implements CrmWriter {
  readonly #client: DynamicsClient;
  readonly #ctx: WriterContext;

  constructor(client: DynamicsClient, ctx: WriterContext) {
    this.#client = client;
    this.#ctx = ctx;
  }

  async recover(_inflight: InflightWrite, _pending: PendingWrites): Promise<void> {
    this.#ctx.progress.checkpoint({ inflight: null });
  }

  async write(pending: PendingWrites): Promise<void> {
    const { externalIdField, matchKey } = this.#ctx;
    if (matchKey !== 'external-id' || !externalIdField) {
      throw new RunFailure(
        RunErrorCode.JobNotRunnable,
        'Dynamics 365 write jobs match records by an alternate key (e.g. lms_userid). Choose the External ID match key and its field in the field map.',
      );
    }
    // Each round writes what is still pending: everything at first, then what came back transient.
    for (let attempt = 0; pending.size > 0; attempt += 1) {
      for (const batch of pending.chunks(BATCH_SIZE)) {
        this.#ctx.checkAbort();
        await this.#batch(pending, batch, attempt + 1 >= MAX_RECORD_ATTEMPTS);
      }
      if (pending.size > 0) await sleep(backoffMs(attempt, 250));
    }
  }

  /** One $batch; records left transient stay pending for the next round. */
  async #batch(pending: PendingWrites, items: WriteItem[], last: boolean): Promise<void> {
    const { progress, target, externalIdField } = this.#ctx;
    const entitySet = target === 'Lead' ? 'leads' : 'contacts';
    const primaryId = target === 'Lead' ? 'leadid' : 'contactid';
    const boundary = `batch_${randomUUID()}`;
    const parts = items.map((item) => {
      const { [externalIdField ?? '']: _key, ...values } = item.values;
      // Asking for the row's id back gives the results a target id (the key-form OData-EntityId names no GUID) and
      // tells created (201) from updated (200) by what Dataverse did, not by our sync state, which is wrong after a
      // crash resume or when the row existed before the first sync.
      const url = `${entitySet}(${externalIdField}='${item.key.replaceAll("'", "''")}')?$select=${primaryId}`;
      return [
        `--${boundary}`,
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        '',
        `PATCH ${url} HTTP/1.1`,
        'Content-Type: application/json',
        'Prefer: return=representation',
        '',
        JSON.stringify(values),
      ].join('\r\n');
    });
    const body = `${parts.join('\r\n')}\r\n--${boundary}--\r\n`;
    progress.checkpoint({ inflight: { kind: 'collection', keys: items.map((item) => item.key) } });
    const text = await withRetry(async () => {
      progress.countCall('batch');
      const response = await this.#client.request('$batch', {
        method: 'POST',
        body,
        headers: { 'content-type': `multipart/mixed; boundary=${boundary}`, prefer: 'odata.continue-on-error' },
      });
      const answer = await response.text();
      if (TRANSIENT_STATUSES.has(response.status)) {
        // Service protection's 429 names the wait in Retry-After; retrying sooner only earns another 429.
        throw Object.assign(new Error(`Dataverse answered HTTP ${response.status}`), {
          errorCode: response.status === 429 ? 'ERROR_HTTP_429' : 'ERROR_HTTP_503',
          retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
        });
      }
      if (!response.ok)
        throw new Error(`Dataverse refused the $batch (HTTP ${response.status}): ${answer.slice(0, 300)}`);
      return answer;
    });
    const answers = parseBatchResponse(text);
    const outcomes: RecordOutcome[] = [];
    items.forEach((item, index) => {
      const answer = answers[index];
      if (answer && answer.status < 300) {
        const id = answer.body?.[primaryId] ?? /\(([0-9a-f-]{36})\)/i.exec(answer.entityId ?? '')?.[1] ?? item.targetId;
        const created = answer.status === 201 || (answer.status === 204 && !item.known);
        outcomes.push({ key: item.key, action: created ? 'created' : 'updated', targetId: id, hash: item.hash });
      } else if (!last && (!answer || TRANSIENT_STATUSES.has(answer.status))) {
        // Not recorded: it stays pending for the next round.
      } else {
        outcomes.push({
          key: item.key,
          action: 'failed',
          targetId: null,
          errorCode: answer?.code ?? 'NO_ANSWER',
          message: answer?.message ?? 'Dataverse did not answer for this record.',
        });
      }
    });
    progress.record(outcomes);
    pending.settle(outcomes.map((outcome) => outcome.key));
    progress.checkpoint({ inflight: null });
  }
}

interface BatchAnswer {
  status: number;
  entityId: string | undefined;
  code: string | undefined;
  message: string | undefined;
  /** The returned row of a success with `return=representation`, for its id. */
  body: Record<string, string> | undefined;
}

/** The parts of a multipart/mixed $batch answer, in order: status, OData-EntityId, and the error if any. */
export function parseBatchResponse(text: string): BatchAnswer[] {
  const answers: BatchAnswer[] = [];
  for (const match of text.matchAll(/HTTP\/1\.1 (\d{3})[^\r\n]*\r?\n([\s\S]*?)(?=\r?\n--)/g)) {
    const status = Number(match[1]);
    const rest = match[2] ?? '';
    const entityId = /OData-EntityId:\s*(\S+)/i.exec(rest)?.[1];
    let code: string | undefined;
    let message: string | undefined;
    let body: Record<string, string> | undefined;
    const json = rest.slice(rest.indexOf('{'));
    if (status < 300 && rest.includes('{')) {
      try {
        body = JSON.parse(json) as Record<string, string>;
      } catch {
        // An unreadable representation only costs the target id; the write itself succeeded.
      }
    } else if (status >= 300 && rest.includes('{')) {
      try {
        const parsed = JSON.parse(json) as { error?: { code?: string; message?: string } };
        code = parsed.error?.code;
        message = parsed.error?.message;
      } catch {
        message = json.slice(0, 300);
      }
    }
    answers.push({ status, entityId, code, message, body });
  }
  return answers;
}
