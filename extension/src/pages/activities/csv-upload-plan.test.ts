import { MAX_UPLOAD_BYTES } from '@orglink/shared';
import { describe, expect, it } from 'vitest';
import { uploadSizeProblem, uploadSlices } from './csv-upload-plan.ts';

describe('uploadSizeProblem', () => {
  it('refuses an empty file and one over 150 MB, saying what to do', () => {
    expect(uploadSizeProblem({ name: 'a.csv', size: 0 })).toMatch(/empty/);
    expect(uploadSizeProblem({ name: 'big.csv', size: MAX_UPLOAD_BYTES + 1 })).toMatch(
      /“big.csv” is 150.0 MB; the limit is 150 MB.*Split it/,
    );
    expect(uploadSizeProblem({ name: 'ok.csv', size: MAX_UPLOAD_BYTES })).toBeUndefined();
  });
});

describe('uploadSlices', () => {
  it('covers every byte once, in order', () => {
    expect(uploadSlices(25, 10)).toEqual([
      { start: 0, end: 10 },
      { start: 10, end: 20 },
      { start: 20, end: 25 },
    ]);
    expect(uploadSlices(0, 10)).toEqual([]);
  });
});
