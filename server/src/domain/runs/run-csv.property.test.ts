import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadUpstream, type FuzzWorld, seedFuzzWorld } from '../../routes/fuzz/fuzz-world.ts';
import { csvCell } from '../../runner/record-prep.ts';
import { buildTestServer } from '../../test-support.ts';
import { csvLine, neutraliseCell, neutralisedCsvFile } from './run-csv.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 8_000_003);
const settings = { seed: SEED, numRuns: 300 };

const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;
/** OWASP's formula starts, also behind whitespace; written out here, not imported, so the oracle is independent. */
const SPREADSHEET_FORMULA = /^\s*[=+\-@]|^[\t\r\n]/;

/** Would a spreadsheet evaluate this cell? Plain numbers are numbers, not formulas. */
function evaluable(cell: string): boolean {
  return !PLAIN_NUMBER.test(cell) && SPREADSHEET_FORMULA.test(cell);
}

/** Formula starts (also behind spaces and line breaks) mixed with quotes, separators and arbitrary text. */
const hostileCell = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc
    .tuple(
      fc.constantFrom('', ' ', '  ', '\t', '\r', '\n', '\r\n', '\u00a0'),
      fc.constantFrom('=', '+', '-', '@', '', '"', ','),
      fc.string({ maxLength: 20 }),
    )
    .map((parts) => parts.join('')),
  fc.constantFrom(
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    '+1 555 0100',
    '-2+3',
    '@SUM(A1:A9)',
    '-5',
    '+3.25',
    '42',
    'a,b',
    '"quoted"',
    'line\nbreak',
  ),
);

function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true }) as string[][];
}

describe('exported CSV cells against formula injection', () => {
  it('neutralises every cell a spreadsheet would evaluate, and the CSV parses back to the same rows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(hostileCell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        (rows) => {
          const width = Math.max(...rows.map((row) => row.length));
          const square = rows.map((row) => [...row, ...Array.from({ length: width - row.length }, () => '')]);
          const parsed = parseCsv(square.map((row) => csvLine(row)).join(''));
          expect(parsed).toHaveLength(square.length);
          parsed.forEach((row, at) => {
            const original = square[at] ?? [];
            expect(row).toEqual(original.map(neutraliseCell));
            row.forEach((cell, column) => {
              expect(evaluable(cell)).toBe(false);
              // Neutralising adds one apostrophe and nothing else: the value is still there to read.
              expect([original[column], `'${original[column]}`]).toContain(cell);
            });
          });
        },
      ),
      settings,
    );
  });

  it('neutralises a stored result file (query and bulk results) cell by cell as it is exported', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'orglink-csv-'));
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(hostileCell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
          async (rows) => {
            // Written as the activity runner writes its result files: quoted, not neutralised (they feed Bulk API).
            const file = path.join(dir, 'result.csv');
            writeFileSync(file, `${rows.map((row) => row.map(csvCell).join(',')).join('\n')}\n`);
            let exported = '';
            for await (const chunk of neutralisedCsvFile(file)) exported += chunk;
            const parsed = parseCsv(exported);
            expect(parsed).toEqual(rows.map((row) => row.map(neutraliseCell)));
            for (const cell of parsed.flat()) expect(evaluable(cell)).toBe(false);
          },
        ),
        { ...settings, numRuns: 100 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('every CSV the API exports', () => {
  const upstream = new DeadUpstream();
  let app: Awaited<ReturnType<typeof buildTestServer>>['app'];
  let world: FuzzWorld;

  beforeAll(async () => {
    const upstreamUrl = await upstream.start();
    ({ app } = await buildTestServer({ logLevel: 'warn', connectionCheckMinutes: 0 }));
    await app.runner.stop();
    world = await seedFuzzWorld(app, upstreamUrl);
  });
  afterAll(async () => {
    await app?.close();
    await upstream.stop();
  });

  it('results.csv and errors.csv of write, activity and Duplicate Check runs hold no cell a spreadsheet would run', async () => {
    const runs = await app.inject({
      method: 'GET',
      url: '/api/runs',
      headers: { authorization: `Bearer ${world.mine.viewer}` },
    });
    const runIds = (runs.json().runs as { id: string; kind: string }[]).map((run) => run.id);
    expect(runIds.length).toBeGreaterThanOrEqual(6);
    let hostileCellsSeen = 0;
    for (const runId of runIds) {
      for (const file of ['results', 'errors']) {
        const response = await app.inject({
          method: 'GET',
          url: `/api/runs/${runId}/${file}.csv`,
          headers: { authorization: `Bearer ${world.mine.viewer}` },
        });
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toContain('text/csv');
        const rows = parseCsv(response.body);
        expect(rows.length).toBeGreaterThanOrEqual(1);
        const width = rows[0]?.length;
        for (const row of rows) {
          expect(row).toHaveLength(width ?? 0);
          for (const cell of row) {
            expect(evaluable(cell), `${file}.csv of ${runId}: ${JSON.stringify(cell)}`).toBe(false);
            if (cell.startsWith("'")) hostileCellsSeen += 1;
          }
        }
      }
    }
    // The seeded runs carry formula-like names, keys and messages: the check above must have met them.
    expect(hostileCellsSeen).toBeGreaterThan(10);
  });
});
