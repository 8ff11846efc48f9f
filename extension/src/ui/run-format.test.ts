import { describe, expect, it } from 'vitest';
import { sampleRun } from '../background/run-test-fixtures.ts';
import { describeProgress, formatDuration, runDuration, runStatusTone } from './run-format.ts';

describe('run formatting', () => {
  it('says how long a finished run took, and what an unfinished one is doing', () => {
    expect(formatDuration(420)).toBe('0.4 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(3_720_000)).toBe('1 h 2 min');
    expect(
      runDuration(
        sampleRun({
          status: 'completed',
          startedAt: '2030-01-01T10:00:00.000Z',
          finishedAt: '2030-01-01T10:00:42.000Z',
        }),
      ),
    ).toBe('42 s');
    expect(runDuration(sampleRun({ status: 'running' }))).toBe('running');
  });

  it('gives processed / total and the rate, and copes with an unknown total', () => {
    expect(describeProgress(sampleRun())).toBe('40 / 100 records · 13/s');
    expect(describeProgress(sampleRun({ counts: { ...sampleRun().counts, total: null }, rate: null }))).toBe(
      '40 records',
    );
    // Counts that stand still (every record read, matching under way) give way to what the run does.
    expect(describeProgress(sampleRun({ stage: 'Matching: scoring candidate pairs, 45%' }))).toBe(
      'Matching: scoring candidate pairs, 45%',
    );
  });

  it('colours failures as errors and work under way as pending', () => {
    expect(runStatusTone('failed')).toBe('error');
    expect(runStatusTone('running')).toBe('pending');
    expect(runStatusTone('completed-with-errors')).toBe('warn');
  });
});
