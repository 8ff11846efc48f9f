import { appendFileSync } from 'node:fs';

/** One headline figure of a benchmark, as `npm run bench` shows it in its closing table. */
export interface Figure {
  bench: string;
  figure: string;
  value: number | string;
  /** Printed after the value, such as 's', 'MB', 'ms', 'records/s'. */
  unit?: string;
  /** What the figure should be, in words ('< 50 ms'); a benchmark never fails on it. */
  target?: string;
}

/**
 * Appends the figure as one JSON line to the file named by BENCH_REPORT (set by `npm run bench`, which prints the
 * table). Without it, a benchmark run by hand prints only its own detail.
 */
export function reportFigure(figure: Figure): void {
  const file = process.env.BENCH_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify(figure)}\n`);
}

/** Seconds from milliseconds, one decimal, for the table. */
export const seconds = (ms: number) => Number((ms / 1000).toFixed(1));
