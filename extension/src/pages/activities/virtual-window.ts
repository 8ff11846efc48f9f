/** Which rows a scrolled table shows, plus a margin either side so a short scroll shows rows already drawn. */
export interface RowWindow {
  first: number;
  /** One past the last row to draw. */
  end: number;
}

export function visibleRows(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  total: number,
  overscan = 10,
): RowWindow {
  if (total <= 0 || rowHeight <= 0) return { first: 0, end: 0 };
  const top = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const bottom = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight) + overscan;
  const first = Math.min(top, total - 1);
  return { first, end: Math.min(total, Math.max(first + 1, bottom)) };
}

/** The pages (of `pageSize` rows, numbered from 0) that hold the window's rows. */
export function pagesFor(window: RowWindow, pageSize: number): number[] {
  if (window.end <= window.first) return [];
  const pages: number[] = [];
  for (let page = Math.floor(window.first / pageSize); page <= Math.floor((window.end - 1) / pageSize); page++) {
    pages.push(page);
  }
  return pages;
}
