import { describe, expect, it } from 'vitest';
import { csvRecords, encodeCsv } from './record-prep.ts';

/** Every record, read to the end. */
async function all(records: AsyncIterable<Record<string, string>>): Promise<Record<string, string>[]> {
  const read: Record<string, string>[] = [];
  for await (const record of records) read.push(record);
  return read;
}

describe('csvRecords', () => {
  it('reads back what encodeCsv wrote, quotes, commas and line breaks included', async () => {
    const rows = [
      { LastName: 'Smith, "Jr."', Email: 'a@example.com', Title: null },
      { LastName: 'Line\nbreak', Email: '', Title: 'CEO' },
    ];
    const text = encodeCsv({ columns: ['LastName', 'Email', 'Title'], rows, nullAs: '#N/A', header: true });
    expect(await all(csvRecords(text))).toEqual([
      { LastName: 'Smith, "Jr."', Email: 'a@example.com', Title: '#N/A' },
      { LastName: 'Line\nbreak', Email: '', Title: 'CEO' },
    ]);
  });

  it('encodes records given as their JSON text exactly as the same records given as values', async () => {
    const rows = [
      { LastName: 'Smith, "Jr."', Email: 'a@example.com', Title: null },
      { LastName: 'Line\nbreak', Email: '', Title: 'CEO' },
    ];
    const task = { columns: ['LastName', 'Email', 'Title'], nullAs: '#N/A', header: true };
    const fromJson = encodeCsv({ ...task, rows: rows.map((row) => JSON.stringify(row)) });
    expect(fromJson).toBe(encodeCsv({ ...task, rows }));
    expect(await all(csvRecords(fromJson))).toHaveLength(2);
  });

  it('keeps every character of a result larger than one read slice, emoji across a slice edge included', async () => {
    // After the 9-character header line, 65,526 letters put the emoji's first half at the last place of the first
    // 64 KB slice.
    const names = [`${'a'.repeat(65_526)}😀 end`, ...Array.from({ length: 5_000 }, (_, i) => `Name ${i} 😀 "a, b"`)];
    const text = encodeCsv({
      columns: ['LastName'],
      rows: names.map((LastName) => ({ LastName })),
      nullAs: '',
      header: true,
    });
    expect((await all(csvRecords(text))).map((record) => record.LastName)).toEqual(names);
  });

  it('accepts CRLF line endings, a missing final line break and blank lines', async () => {
    const text = 'sf__Id,sf__Error\r\n,"MISSING_ARGUMENT:Id not specified:--"\r\n\r\n003A,';
    expect(await all(csvRecords(text))).toEqual([
      { sf__Id: '', sf__Error: 'MISSING_ARGUMENT:Id not specified:--' },
      { sf__Id: '003A', sf__Error: '' },
    ]);
  });

  it('reads a header-only or empty result as no rows, and refuses a cell left unquoted at the end', async () => {
    expect(await all(csvRecords('sf__Id,sf__Created\n'))).toEqual([]);
    expect(await all(csvRecords(''))).toEqual([]);
    await expect(all(csvRecords('a\n"open'))).rejects.toThrow('the CSV ends inside a quoted cell');
  });
});
