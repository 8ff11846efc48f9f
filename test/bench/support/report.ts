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

/** reportFigure for one benchmark, called as figure(name, value, unit?, target?). */
export function figureReporter(bench: string) {
  return (figure: string, value: number | string, unit?: string, target?: string) =>
    reportFigure({ bench, figure, value, ...(unit ? { unit } : {}), ...(target ? { target } : {}) });
}

/** A run's wall time in seconds for the table, naming its status when it did not complete. */
export const runTime = (seconds: number, status: string) =>
  `${seconds.toFixed(1)}${status === 'completed' ? '' : ` (${status})`}`;
