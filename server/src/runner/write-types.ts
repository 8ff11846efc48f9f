import type { PendingWrites } from './pending-writes.ts';
import type { PreparedRecord } from './record-prep.ts';
import type { RunProgress } from './run-progress.ts';
import type { WorkerPool } from './worker-pool.ts';

/** A new or changed record to write; `known` when the sync state already had it (so success means "updated"). */
export interface WriteItem extends PreparedRecord {
  known: boolean;
  /** CRM id from the sync state, when known. */
  targetId: string | null;
}

/** A write batch whose outcome is not recorded yet, kept in the checkpoint so a crash cannot make it write twice. */
export type InflightWrite = { kind: 'bulk'; bulkJobId: string } | { kind: 'collection'; keys: string[] };

export interface WriteCheckpoint {
  inflight: InflightWrite | null;
}

/** The run cannot go on: fail it with this code and message (the message says what to do). */
export class RunFailure extends Error {
  override name = 'RunFailure';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** An admin asked to stop, or unlinked the integration; the run ends 'aborted' with this message. */
export class RunAborted extends Error {
  override name = 'RunAborted';
}

/**
 * The connection was paused or went inactive mid-run: the run waits in 'holding' with its checkpoint (this message
 * says why) and the queue resumes it when the connection is active again.
 */
export class RunHeld extends Error {
  override name = 'RunHeld';
}

export interface WriterContext {
  progress: RunProgress;
  pool: WorkerPool;
  target: 'Contact' | 'Lead';
  matchKey: 'external-id' | 'email';
  externalIdField: string | null;
  /**
   * The safe-point check writers call between batches: throws RunAborted (abort requested, integration unlinked) or
   * RunHeld (connection paused or inactive).
   */
  checkAbort(): void;
}

export interface CrmWriter {
  /** Settles the batch a crashed attempt left in flight; what it settled is no longer pending. */
  recover(inflight: InflightWrite, pending: PendingWrites): Promise<void>;
  /** Writes every pending record and records each outcome; transient per-record failures are retried inside. */
  write(pending: PendingWrites): Promise<void>;
}

/** Per-record errors worth another try rather than a failed record. */
export const TRANSIENT_RECORD_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE']);
export const MAX_RECORD_ATTEMPTS = 6;
