import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';

/** CSV in the job's dialect: Bulk 2.0 lets a job pick its column delimiter and line ending. */

export type ColumnDelimiter = 'BACKQUOTE' | 'CARET' | 'COMMA' | 'PIPE' | 'SEMICOLON' | 'TAB';
export type LineEnding = 'LF' | 'CRLF';

export const DELIMITERS: Record<ColumnDelimiter, string> = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
};

export interface ParsedCsv {
  header: string[];
  rows: string[][];
  /** Set when the data is not CSV in the job's dialect; the job fails with it when processed. */
  problem: string | undefined;
}

/**
 * Parses an upload while it streams in. A CRLF file in an LF job (or the reverse) is recorded as the problem
 * Salesforce reports for it, rather than parsed into rows with stray carriage returns.
 */
export async function parseUpload(
  stream: Readable,
  delimiter: ColumnDelimiter,
  lineEnding: LineEnding,
): Promise<ParsedCsv> {
  let firstNewlineChecked = false;
  let lineEndingProblem: string | undefined;
  stream.on('data', (chunk: Buffer) => {
    if (firstNewlineChecked) return;
    const at = chunk.indexOf(10);
    if (at < 0) return;
    firstNewlineChecked = true;
    const crlf = at > 0 && chunk[at - 1] === 13;
    if (crlf !== (lineEnding === 'CRLF')) {
      lineEndingProblem = `ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${lineEnding}`;
    }
  });
  const parser = parse({
    delimiter: DELIMITERS[delimiter],
    record_delimiter: lineEnding === 'CRLF' ? '\r\n' : '\n',
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
  });
  const rows: string[][] = [];
  let header: string[] | undefined;
  let problem: string | undefined;
  parser.on('readable', () => {
    let record: string[] | null = parser.read() as string[] | null;
    while (record !== null) {
      if (!header) header = record;
      else rows.push(record);
      record = parser.read() as string[] | null;
    }
  });
  parser.on('error', (error: Error) => {
    problem = `InvalidBatch : Failed to parse CSV: ${error.message}`;
  });
  stream.pipe(parser);
  try {
    await once(parser, 'end');
  } catch {
    // 'error' recorded the problem; drain the rest so the upload still completes.
    stream.unpipe(parser);
    stream.resume();
  }
  const width = header?.length ?? 0;
  const ragged = rows.findIndex((row) => row.length !== width);
  if (!problem && ragged >= 0) {
    problem = `InvalidBatch : Wrong number of columns in row ${ragged + 2}: expected ${width}, found ${rows[ragged]?.length}`;
  }
  return { header: header ?? [], rows, problem: lineEndingProblem ?? problem };
}

/** Every value quoted, as Bulk 2.0 writes its result files. */
export function csvLine(values: readonly string[], delimiter: string): string {
  let line = '';
  for (let index = 0; index < values.length; index += 1) {
    if (index > 0) line += delimiter;
    const value = values[index] ?? '';
    line += `"${value.includes('"') ? value.replace(/"/g, '""') : value}"`;
  }
  return line;
}

/** Original header names are echoed as they came (unquoted unless they need it), after the quoted sf__ columns. */
export function headerCell(name: string, delimiter: string): string {
  return name.includes(delimiter) || name.includes('"') || /[\r\n]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}
