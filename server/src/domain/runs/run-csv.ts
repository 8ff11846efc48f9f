import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { csvCell } from '../../runner/record-prep.ts';

/** What a spreadsheet may evaluate: a formula character first, or after whitespace; or a leading tab, CR or LF. */
export const FORMULA_START = /^\s*[=+\-@]|^[\t\r\n]/;

/**
 * A cell a spreadsheet would read as a formula (= + - @, and tab, CR or LF, which some apps strip before looking)
 * gets a leading apostrophe (OWASP's CSV injection advice): the admin opens errors.csv in Excel, and a Catalog user
 * named "=HYPERLINK(...)" must stay text. Leading spaces do not hide a formula: some spreadsheets trim them on import.
 */
export function neutraliseCell(value: string): string {
  // A plain number (-5, +3.2) cannot be a formula, and prefixing it would turn a number column into text.
  if (/^[+-]?\d+(\.\d+)?$/.test(value)) return value;
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvLine(values: readonly (string | null | undefined)[]): string {
  return `${values.map((value) => csvCell(neutraliseCell(value ?? ''))).join(',')}\r\n`;
}

/** A CSV file re-read row by row and written again with every cell neutralised: CRM data is exported the same way. */
export async function* neutralisedCsvFile(file: string): AsyncGenerator<string> {
  const parser = createReadStream(file).pipe(parse({ bom: true, relax_column_count: true }));
  for await (const record of parser as AsyncIterable<string[]>) yield csvLine(record);
}
