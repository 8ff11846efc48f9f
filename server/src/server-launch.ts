// How the server process is started, by `npm start` (scripts/orglink.mjs) and by the tests and benchmarks that run it
// as users do (test/support/server-process.ts): one place, so what is measured is what ships.

/**
 * Both measured with the 100,000-user write job benchmark (test/bench/write-job.bench.ts):
 * - V8 grows the young generation to 32 MB semi-spaces and keeps them: an 8 MB cap cut the peak RSS by ~140 MB.
 * - V8 lets the old generation grow to up to 4x what survived the last full collection before collecting again, so a
 *   run's short-lived garbage piled up to 300-350 MB and each later run started from there. Growing by 30% at most
 *   holds the first sync at 250-280 MB and later runs below it, for about 0.5 s more CPU per 100,000 records (the
 *   extra marking runs concurrently, on the other core).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=30'];

/**
 * glibc gives every thread that allocates its own malloc arena (up to 8 per core), and SQLite, the HTTP stack and the
 * record workers each leave freed memory parked in theirs: two arenas cut the write job benchmark's first-sync peak
 * RSS by 15-25 MB at the same CPU time. Ignored by other C libraries; a value set by the admin wins.
 */
export function serverEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: '2', ...env };
}
