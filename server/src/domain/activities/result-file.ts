import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  readFileSync,
  type WriteStream,
  writeFileSync,
} from 'node:fs';
import { parse } from 'csv-parse';
import { csvCell } from '../../runner/record-prep.ts';

/** Every this many rows the byte offset is noted, so a page of a 200,000-row result is read without the rows before. */
const OFFSET_EVERY = 500;

/**
 * A query run's results as a CSV file written row by row while the CRM's pages arrive: nothing holds the whole result,
 * and the results table pages through it by row number (a side file keeps the offsets).
 */
export class ResultFileWriter {
  readonly #path: string;
  readonly #out: WriteStream;
  readonly #offsets: number[] = [];
  #bytes = 0;
  #rows = 0;
  #columns: string[] | undefined;

  constructor(path: string) {
    this.#path = path;
    this.#out = createWriteStream(path);
  }

  get rows(): number {
    return this.#rows;
  }

  get columns(): string[] | undefined {
    return this.#columns;
  }

  async header(columns: string[]) {
    this.#columns = columns;
    await this.#write(`${columns.map(csvCell).join(',')}\n`);
  }

  async row(cells: readonly string[]) {
    if (this.#rows % OFFSET_EVERY === 0) this.#offsets.push(this.#bytes);
    this.#rows += 1;
    await this.#write(`${cells.map(csvCell).join(',')}\n`);
  }

  async close() {
    this.#out.end();
    await once(this.#out, 'finish');
    writeFileSync(
      `${this.#path}.idx`,
      JSON.stringify({ rows: this.#rows, every: OFFSET_EVERY, offsets: this.#offsets }),
    );
  }

  async #write(text: string) {
    this.#bytes += Buffer.byteLength(text);
    if (!this.#out.write(text)) await once(this.#out, 'drain');
  }
}

export interface ResultPage {
  columns: string[];
  rows: string[][];
  from: number;
  total: number;
}

/** Rows `from` .. `from + count - 1` of a results file (fewer at the end); undefined when the run has none. */
export async function readResultPage(path: string, from: number, count: number): Promise<ResultPage | undefined> {
  if (!existsSync(path) || !existsSync(`${path}.idx`)) return undefined;
  const index = JSON.parse(readFileSync(`${path}.idx`, 'utf8')) as { rows: number; every: number; offsets: number[] };
  const columns = await firstRecord(path);
  if (from >= index.rows) return { columns, rows: [], from, total: index.rows };
  const block = Math.floor(from / index.every);
  const start = index.offsets[block] ?? 0;
  const parser = createReadStream(path, { start }).pipe(parse({ relax_column_count: true }));
  const rows: string[][] = [];
  let at = block * index.every;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (at >= from) rows.push(record);
    at += 1;
    if (rows.length >= count) break;
  }
  parser.destroy();
  return { columns, rows, from, total: index.rows };
}

async function firstRecord(path: string): Promise<string[]> {
  const parser = createReadStream(path).pipe(parse({ to_line: 1 }));
  for await (const record of parser as AsyncIterable<string[]>) return record;
  return [];
}
