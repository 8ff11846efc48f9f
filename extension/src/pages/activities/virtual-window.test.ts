import { describe, expect, it } from 'vitest';
import { pagesFor, visibleRows } from './virtual-window.ts';

describe('visibleRows', () => {
  it('draws the rows in view plus the margin, never past the ends', () => {
    expect(visibleRows(0, 420, 28, 100_000)).toEqual({ first: 0, end: 25 });
    expect(visibleRows(28 * 50_000, 420, 28, 100_000)).toEqual({ first: 49_990, end: 50_025 });
    expect(visibleRows(28 * 99_990, 420, 28, 100_000)).toEqual({ first: 99_980, end: 100_000 });
  });

  it('stays small however many rows there are', () => {
    const window = visibleRows(123_456, 420, 28, 10_000_000);
    expect(window.end - window.first).toBeLessThanOrEqual(Math.ceil(420 / 28) + 21);
  });

  it('handles no rows, and a scroll position beyond the rows (the table shrank)', () => {
    expect(visibleRows(0, 420, 28, 0)).toEqual({ first: 0, end: 0 });
    expect(visibleRows(28 * 1000, 420, 28, 10)).toEqual({ first: 9, end: 10 });
  });
});

describe('pagesFor', () => {
  it('names the pages that hold the window, across a page boundary', () => {
    expect(pagesFor({ first: 0, end: 25 }, 500)).toEqual([0]);
    expect(pagesFor({ first: 490, end: 525 }, 500)).toEqual([0, 1]);
    expect(pagesFor({ first: 500, end: 1000 }, 500)).toEqual([1]);
    expect(pagesFor({ first: 0, end: 0 }, 500)).toEqual([]);
  });
});
