import { describe, expect, it } from 'vitest';
import { csvLine, neutraliseCell } from './run-csv.ts';

describe('CSV cells against formula injection', () => {
  it('prefixes cells a spreadsheet would evaluate with an apostrophe', () => {
    for (const risky of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx'])
      expect(neutraliseCell(risky)).toBe(`'${risky}`);
    for (const safe of ['Ada', '', '1-2', 'a=b', "O'Brien"]) expect(neutraliseCell(safe)).toBe(safe);
  });

  it('leaves plain numbers alone (they cannot be formulas) but not a phone number a spreadsheet would evaluate', () => {
    for (const number of ['-5', '+3.25', '42']) expect(neutraliseCell(number)).toBe(number);
    expect(neutraliseCell('+1 555 0100')).toBe("'+1 555 0100");
  });

  it('quotes separators and quotes after neutralising', () => {
    expect(csvLine(['=HYPERLINK("http://x","y")', 'a,b', null])).toBe(`"'=HYPERLINK(""http://x"",""y"")","a,b",\r\n`);
  });
});
