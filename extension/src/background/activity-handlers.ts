import {
  type ActivityRequest,
  ActivityRequest as ActivityRequestSchema,
  type ActivityUpload,
  MAX_UPLOAD_BYTES,
  type QueryCountRequest,
  QueryCountRequest as QueryCountRequestSchema,
} from '@orglink/shared';
import { type ApiResult, failed, invalidInput, succeeded } from '../api/api-result.ts';
import type { CsvDownload } from '../features/catalog-widget-protocol.ts';
import { onMessage } from '../messaging.ts';
import { type Checked, checkId, checkSchema, record } from './handler-input.ts';
import { runCsvDownload } from './run-csv-download.ts';
import { callSignedIn } from './signed-in-client.ts';

/** The page's table asks for pages; the API serves at most 1000 rows at a time. */
const MAX_ROWS_PER_PAGE = 1000;
/** An upload the page began and never finished (closed tab) is dropped after this long, freeing its memory. */
const UPLOAD_IDLE_MS = 5 * 60_000;

interface PendingUpload {
  connectionId: string;
  declaredBytes: number;
  parts: string[];
  chars: number;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Uploads being assembled from the page's slices. Held in memory: the page sends the slices back to back, which
 * keeps the service worker awake until the file is posted; if it stops anyway, finishing says to choose the file again.
 */
export class UploadAssembler {
  readonly #pending = new Map<string, PendingUpload>();
  readonly #idleMs: number;

  constructor(idleMs = UPLOAD_IDLE_MS) {
    this.#idleMs = idleMs;
  }

  begin(connectionId: string, bytes: number): ApiResult<{ uploadKey: string }> {
    if (!Number.isInteger(bytes) || bytes <= 0) return invalidInput('The file is empty. Pick a CSV with records.');
    if (bytes > MAX_UPLOAD_BYTES) {
      return failed(
        0,
        'UPLOAD_TOO_LARGE',
        'The file is over 150 MB, the most one activity takes. Split it and run each part.',
      );
    }
    const uploadKey = crypto.randomUUID();
    this.#pending.set(uploadKey, {
      connectionId,
      declaredBytes: bytes,
      parts: [],
      chars: 0,
      timer: setTimeout(() => this.#pending.delete(uploadKey), this.#idleMs),
    });
    return succeeded({ uploadKey });
  }

  append(uploadKey: string, text: string): ApiResult<null> {
    const pending = this.#pending.get(uploadKey);
    if (!pending) return lostUpload();
    // A character is at least one byte, so more characters than the declared bytes means it is not the file declared.
    if (pending.chars + text.length > pending.declaredBytes) {
      this.#drop(uploadKey);
      return invalidInput('The file changed while it was being read. Choose it again.');
    }
    pending.parts.push(text);
    pending.chars += text.length;
    clearTimeout(pending.timer);
    pending.timer = setTimeout(() => this.#pending.delete(uploadKey), this.#idleMs);
    return succeeded(null);
  }

  /** Hands the assembled file over once, and forgets it either way. */
  take(uploadKey: string): { connectionId: string; file: Blob } | undefined {
    const pending = this.#pending.get(uploadKey);
    if (!pending) return undefined;
    this.#drop(uploadKey);
    return { connectionId: pending.connectionId, file: new Blob(pending.parts, { type: 'text/csv' }) };
  }

  get size() {
    return this.#pending.size;
  }

  #drop(uploadKey: string) {
    const pending = this.#pending.get(uploadKey);
    if (pending) clearTimeout(pending.timer);
    this.#pending.delete(uploadKey);
  }
}

function lostUpload() {
  return failed(
    0,
    'UPLOAD_LOST',
    'The extension lost the file while it was being sent (its background restarted). Choose the file again.',
  );
}

export async function finishUpload(assembler: UploadAssembler, uploadKey: unknown): Promise<ApiResult<ActivityUpload>> {
  const key = checkId(uploadKey, 'upload');
  if (!key.ok) return invalidInput(key.message);
  const assembled = assembler.take(key.value);
  if (!assembled) return lostUpload();
  return callSignedIn((client) => client.uploadActivityCsv(assembled.connectionId, assembled.file));
}

function checkObjectName(input: unknown): Checked<string> {
  return typeof input === 'string' && /^[A-Za-z][A-Za-z0-9_]{0,79}$/.test(input.trim())
    ? { ok: true, value: input.trim() }
    : {
        ok: false,
        message: 'Type an object API name (letters, digits and underscores, such as Contact or Course__c).',
      };
}

function checkRowRange(from: unknown, count: unknown): Checked<{ from: number; count: number }> {
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 0) {
    return { ok: false, message: 'Ask for rows from row 0 on.' };
  }
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_ROWS_PER_PAGE) {
    return { ok: false, message: `Ask for 1 to ${MAX_ROWS_PER_PAGE} rows at a time.` };
  }
  return { ok: true, value: { from, count } };
}

export async function downloadRunCsv(input: unknown): Promise<ApiResult<CsvDownload>> {
  const { runId, file } = record(input);
  const id = checkId(runId, 'run');
  if (!id.ok) return invalidInput(id.message);
  if (file !== 'results' && file !== 'errors') return invalidInput('Ask for the results or the errors file.');
  return callSignedIn((client) => runCsvDownload(client, id.value, file));
}

/** The Activities page's calls, relayed to the API with the stored token. */
export function registerActivityHandlers(assembler = new UploadAssembler()) {
  onMessage('getObjectFields', ({ data }) => {
    const { connectionId, object } = record(data);
    const connection = checkId(connectionId, 'connection');
    if (!connection.ok) return invalidInput(connection.message);
    const name = checkObjectName(object);
    if (!name.ok) return invalidInput(name.message);
    return callSignedIn((client) => client.getObjectFields(connection.value, name.value));
  });

  onMessage('startActivity', ({ data }) => {
    const { connectionId, request } = record(data);
    const connection = checkId(connectionId, 'connection');
    if (!connection.ok) return invalidInput(connection.message);
    const checked = checkSchema<ActivityRequest>(ActivityRequestSchema, request, 'activity');
    if (!checked.ok) return invalidInput(checked.message);
    return callSignedIn((client) => client.startActivity(connection.value, checked.value));
  });

  onMessage('countActivityQuery', ({ data }) => {
    const { connectionId, request } = record(data);
    const connection = checkId(connectionId, 'connection');
    if (!connection.ok) return invalidInput(connection.message);
    const checked = checkSchema<QueryCountRequest>(QueryCountRequestSchema, request, 'query');
    if (!checked.ok) return invalidInput(checked.message);
    return callSignedIn((client) => client.countActivityQuery(connection.value, checked.value));
  });

  onMessage('getRunRows', ({ data }) => {
    const { runId, from, count } = record(data);
    const id = checkId(runId, 'run');
    if (!id.ok) return invalidInput(id.message);
    const range = checkRowRange(from, count);
    if (!range.ok) return invalidInput(range.message);
    return callSignedIn((client) => client.getRunRows(id.value, range.value.from, range.value.count));
  });

  onMessage('downloadRunCsv', ({ data }) => downloadRunCsv(data));

  onMessage('beginActivityUpload', ({ data }) => {
    const { connectionId, bytes } = record(data);
    const connection = checkId(connectionId, 'connection');
    if (!connection.ok) return invalidInput(connection.message);
    return assembler.begin(connection.value, typeof bytes === 'number' ? bytes : Number.NaN);
  });

  onMessage('appendActivityUpload', ({ data }) => {
    const { uploadKey, text } = record(data);
    const key = checkId(uploadKey, 'upload');
    if (!key.ok) return invalidInput(key.message);
    if (typeof text !== 'string')
      return invalidInput('A slice of the file arrived without its text. Choose the file again.');
    return assembler.append(key.value, text);
  });

  onMessage('finishActivityUpload', ({ data }) => finishUpload(assembler, data));
}
