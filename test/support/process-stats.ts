import { readFileSync, writeFileSync } from 'node:fs';

/** What the benchmarks read of a server process from /proc: CPU time, RSS, and its peak (which can be reset). */
export function processStats(pid: number) {
  return {
    /** User + system CPU time so far, in ms (clock ticks of 10 ms). */
    cpuMs(): number {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    },
    /** A /proc/<pid>/status size in MB: VmRSS now, VmHWM the peak. */
    statusMb(field: 'VmRSS' | 'VmHWM'): number {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
    },
    /** Writing 5 to clear_refs resets the peak (VmHWM), so each measurement reports its own peak. */
    resetPeak(): void {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
    },
  };
}
