import { MAX_UPLOAD_BYTES } from '@orglink/shared';

/**
 * A file travels to the background in slices: Chrome serialises extension messages as JSON (an ArrayBuffer arrives
 * as {}) and caps one message at 64 MB, so text slices of 8 MB each stay well under the cap even when JSON escapes
 * every quote in them.
 */
export const UPLOAD_SLICE_BYTES = 8 * 1024 * 1024;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Refused before a byte is sent: the server would refuse it anyway, after the whole file had travelled. */
export function uploadSizeProblem(file: { name: string; size: number }): string | undefined {
  if (file.size === 0) return `“${file.name}” is empty. Pick a CSV with a header row and records.`;
  if (file.size > MAX_UPLOAD_BYTES) {
    return `“${file.name}” is ${formatBytes(file.size)}; the limit is 150 MB (what Bulk API 2.0 takes per job). Split it into smaller files and run each.`;
  }
  return undefined;
}

/** Byte ranges of the slices, in order. */
export function uploadSlices(size: number, sliceBytes = UPLOAD_SLICE_BYTES): { start: number; end: number }[] {
  const slices: { start: number; end: number }[] = [];
  for (let start = 0; start < size; start += sliceBytes)
    slices.push({ start, end: Math.min(size, start + sliceBytes) });
  return slices;
}
