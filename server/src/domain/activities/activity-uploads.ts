import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ActivityErrorCode, type ActivityUpload, MAX_UPLOAD_BYTES } from '@orglink/shared';
import { parse } from 'csv-parse';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../http-errors.ts';
import { uploadFile } from './run-files.ts';

interface UploadMeta extends ActivityUpload {
  teamId: string;
  connectionId: string;
}

const tooLarge = () =>
  new ApiError(
    413,
    ActivityErrorCode.UploadTooLarge,
    `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB, the most one Bulk API 2.0 job takes. Split it and run one activity per part.`,
  );

/**
 * Stores an uploaded CSV as it streams in (never whole in memory), refusing it as soon as it passes the cap (at once
 * when Content-Length says so), then reads it once for its header and row count. A file that is not CSV is refused
 * with the parser's reason and deleted.
 */
export async function saveUpload(
  app: FastifyInstance,
  owner: { teamId: string; connectionId: string },
  body: Readable,
  declaredLength: number | undefined,
): Promise<ActivityUpload> {
  if (declaredLength !== undefined && declaredLength > MAX_UPLOAD_BYTES) {
    body.resume();
    throw tooLarge();
  }
  const uploadId = `upl_${randomUUID()}`;
  const file = uploadFile(app, uploadId) as string;
  // One pass: each chunk goes to the file and to the CSV reader, which counts the rows and finds a file that is not
  // CSV while it arrives, instead of reading up to 150 MB back from disk afterwards.
  const parser = parse({ bom: true, skip_empty_lines: true });
  let columns: string[] = [];
  let rows = 0;
  let notCsv: Error | undefined;
  const reading = (async () => {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (rows === 0 && columns.length === 0) columns = record.map((cell) => cell.trim());
      else rows += 1;
    }
  })().catch((error: Error) => {
    notCsv = error;
  });
  const invalidCsv = (error: Error) =>
    new ApiError(
      400,
      ActivityErrorCode.UploadInvalid,
      `The file is not valid CSV: ${error.message}. Save it as CSV (UTF-8, comma-separated) and upload it again.`,
    );
  let bytes = 0;
  try {
    await pipeline(
      body,
      async function* capped(source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          if (bytes > MAX_UPLOAD_BYTES) throw tooLarge();
          if (!parser.write(chunk)) await once(parser, 'drain');
          yield chunk;
        }
        parser.end();
      },
      createWriteStream(file),
    );
    await reading;
  } catch (error) {
    parser.destroy();
    await reading;
    rmSync(file, { force: true });
    if (error instanceof ApiError) throw error;
    if (notCsv) throw invalidCsv(notCsv);
    throw new ApiError(
      400,
      ActivityErrorCode.UploadInvalid,
      `The upload did not complete (${(error as Error).message}). Upload the file again.`,
    );
  }
  if (notCsv) {
    rmSync(file, { force: true });
    throw invalidCsv(notCsv);
  }
  if (columns.length === 0 || columns.some((column) => column === '')) {
    rmSync(file, { force: true });
    throw new ApiError(
      400,
      ActivityErrorCode.UploadInvalid,
      'The first line of the file must name every column (a header row). Add one and upload it again.',
    );
  }
  const upload: ActivityUpload = { uploadId, columns, rows, bytes };
  writeFileSync(`${file}.json`, JSON.stringify({ ...upload, ...owner } satisfies UploadMeta));
  return upload;
}

/** An upload of this team for this connection, or 404: uploads are never shared across teams. */
export function findUpload(
  app: FastifyInstance,
  owner: { teamId: string; connectionId: string },
  uploadId: string,
): ActivityUpload & { file: string } {
  const file = uploadFile(app, uploadId);
  const meta =
    file && existsSync(`${file}.json`) ? (JSON.parse(readFileSync(`${file}.json`, 'utf8')) as UploadMeta) : undefined;
  if (!file || !meta || meta.teamId !== owner.teamId || meta.connectionId !== owner.connectionId) {
    throw new ApiError(
      404,
      ActivityErrorCode.UploadNotFound,
      'There is no such upload for this connection. Upload the CSV again.',
    );
  }
  return { uploadId: meta.uploadId, columns: meta.columns, rows: meta.rows, bytes: meta.bytes, file };
}
