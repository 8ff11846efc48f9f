import type { ActivityUpload } from '@orglink/shared';
import type { ApiResult } from '../../api/api-result.ts';
import { sendMessage } from '../../messaging.ts';
import { askBackground } from '../ask-background.ts';
import { uploadSlices } from './csv-upload-plan.ts';

/**
 * Hands a chosen CSV to the background slice by slice, as text, and has it post the file to the server. Slices are
 * cut on byte boundaries and decoded with a streaming decoder, so a character split between two slices stays whole.
 */
export async function sendCsvThroughBackground(
  connectionId: string,
  file: File,
  onProgress: (sentBytes: number) => void,
): Promise<ApiResult<ActivityUpload>> {
  const begun = await askBackground(() => sendMessage('beginActivityUpload', { connectionId, bytes: file.size }));
  if (!begun.ok) return begun;
  const { uploadKey } = begun.data;
  const decoder = new TextDecoder('utf-8');
  const slices = uploadSlices(file.size);
  for (const [at, slice] of slices.entries()) {
    const bytes = new Uint8Array(await file.slice(slice.start, slice.end).arrayBuffer());
    const text = decoder.decode(bytes, { stream: at < slices.length - 1 });
    const appended = await askBackground(() => sendMessage('appendActivityUpload', { uploadKey, text }));
    if (!appended.ok) return appended;
    onProgress(slice.end);
  }
  return askBackground(() => sendMessage('finishActivityUpload', uploadKey));
}
