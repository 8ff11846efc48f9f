import { csvCell } from '../../runner/record-prep.ts';

/**
 * A cell a spreadsheet would read as a formula (= + - @, and tab or CR, which some apps strip before looking) gets a
 * leading apostrophe (OWASP's CSV injection advice): the admin opens errors.csv in Excel, and a Catalog user named
 * "=HYPERLINK(...)" must stay text.
 */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvLine(values: readonly (string | null | undefined)[]): string {
  return `${values.map((value) => csvCell(neutraliseCell(value ?? ''))).join(',')}\r\n`;
}
