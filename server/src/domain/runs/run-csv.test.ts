import { describe, expect, it } from 'vitest';
import { csvLine, neutraliseCell } from './run-csv.ts';

describe('CSV cells against formula injection', () => {
  it('prefixes cells a spreadsheet would evaluate with an apostrophe', () => {
    for (const risky of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx'])
      expect(neutraliseCell(risky)).toBe(`'${risky}`);
    for (const safe of ['Ada', '', '1-2', 'a=b', "O'Brien"]) expect(neutraliseCell(safe)).toBe(safe);
  });

  it('quotes separators and quotes after neutralising', () => {
    expect(csvLine(['=HYPERLINK("http://x","y")', 'a,b', null])).toBe(`"'=HYPERLINK(""http://x"",""y"")","a,b",\r\n`);
  });
});
