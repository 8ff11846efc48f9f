// One speed measurement of Duplicate Check matching, in its own process so the peak RSS is the matcher's alone:
//   node test/bench/support/dc-speed-child.ts generate <count> <file>   writes generated Contacts as CSV
//   node test/bench/support/dc-speed-child.ts match <file>              reads it in Bulk-sized pages into the
//     matching worker thread (the same DcMatcher the runner uses) and prints one JSON line of figures.
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { defaultScenariosFor } from '../../../server/src/domain/dedupe/default-scenarios.ts';
import { DcMatcher } from '../../../server/src/runner/dc-matcher.ts';
import { engineSpec } from '../../../server/src/runner/duplicate-check-job.ts';
import { processStats } from '../../support/process-stats.ts';
import { GENERATED_COLUMNS, generatedContacts } from './generated-contacts.ts';

const PAGE = 100_000;
const cell = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const [mode, first, second] = process.argv.slice(2);

if (mode === 'generate') {
  const count = Number(first);
  const out = createWriteStream(second ?? '');
  out.write(`${GENERATED_COLUMNS.join(',')}\n`);
  // Generated in slices with their own seeds, so a million people never sit in memory at once.
  const slice = 100_000;
  for (let from = 0; from < count; from += slice) {
    const { rows } = generatedContacts(Math.min(slice, count - from), 7 + from);
    const text = rows.map((row, at) => [`${row[0]}${from + at}`, ...row.slice(1)].map(cell).join(',')).join('\n');
    if (!out.write(`${text}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
} else if (mode === 'match') {
  const stats = processStats(process.pid);
  const matcher = new DcMatcher();
  stats.resetPeak();
  const started = performance.now();
  await matcher.init(engineSpec('Contact', defaultScenariosFor('Contact')));
  const lines = createInterface({ input: createReadStream(first ?? ''), crlfDelay: Number.POSITIVE_INFINITY });
  let header = '';
  let page: string[] = [];
  for await (const line of lines) {
    if (!header) {
      header = line;
      continue;
    }
    page.push(line);
    if (page.length === PAGE) {
      await matcher.addCsv(0, `${header}\n${page.join('\n')}`);
      page = [];
    }
  }
  if (page.length) await matcher.addCsv(0, `${header}\n${page.join('\n')}`);
  const read = performance.now();
  // The resident size at each phase, to show where the peak is.
  const rssByPhase: Record<string, number> = { reading: Math.round(stats.statusMb('VmRSS')) };
  const result = await matcher.find([], (phase) => {
    rssByPhase[phase] = Math.max(rssByPhase[phase] ?? 0, Math.round(stats.statusMb('VmRSS')));
  });
  rssByPhase.result = Math.round(stats.statusMb('VmRSS'));
  const done = performance.now();
  await matcher.close();
  process.stdout.write(
    `${JSON.stringify({
      records: result.recordsRead,
      seconds: (done - started) / 1000,
      readSeconds: (read - started) / 1000,
      timings: result.timings,
      pairsScored: result.pairsScored,
      pairsMatched: result.pairsMatched,
      groups: result.groupScore.length,
      largeBlocks: result.largeBlocks,
      peakMb: stats.statusMb('VmHWM'),
      rssByPhase,
    })}\n`,
  );
}
