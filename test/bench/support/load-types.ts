// The messages between load-generator.ts (main thread) and load-worker.ts (its thread).

export interface WorkerSetup {
  baseUrl: string;
  /** One SSE client per token, each a team member as the extension's background would be. */
  sseTokens: string[];
  /** The member whose token the read requests carry. */
  readToken: string;
  /** Keep-alive connections the read requests may open at most. */
  maxReadSockets: number;
}

export type LoadCommand =
  | { type: 'read-load'; ratePerSecond: number; durationMs: number; paths: string[] }
  | { type: 'sse-report' }
  | { type: 'close' };

export type LoadMessage =
  | { type: 'ready'; opened: number }
  | { type: 'read-load-done'; result: ReadLoadResult }
  | { type: 'sse-report'; clients: SseClientReport[] }
  | { type: 'closed' };

export interface ReadLoadResult {
  sent: number;
  /** Non-2xx answers and network errors. */
  errors: number;
  /** The first few errors, as status or message and path. */
  problems: string[];
  seconds: number;
  /** Latencies from when each request was due (see load-worker.ts). */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** How late the generator itself sent a request at worst: large values mean the generator, not the server, lagged. */
  maxLagMs: number;
}

export interface RunSeen {
  /** Statuses in the order the events brought them, repeats collapsed. */
  statuses: string[];
  events: number;
  /** run.changed events while running that showed progress (records processed or a stage). */
  progressEvents: number;
  maxProcessed: number;
}

export interface SseClientReport {
  /** The stream was opened (200 and the server's ": connected"). */
  opened: boolean;
  /** Still open when the report was taken. */
  open: boolean;
  endedBecause?: string;
  /** Events received (comments excluded). */
  events: number;
  runs: Record<string, RunSeen>;
}
