import { type ApiResult, failed, succeeded } from '../api/api-result.ts';
import type { OrgLinkClient } from '../api/orglink-client.ts';
import type { CsvDownload } from '../features/catalog-widget-protocol.ts';

/**
 * Chrome caps a runtime message at 64 MiB, counted after JSON escaping; a CSV above this is refused with a message
 * rather than failing in the messaging layer with nothing said.
 */
export const MAX_CSV_CHARS = 32 * 1024 * 1024;

/**
 * A run's results.csv or errors.csv for a page to save: it goes as text, and the page saves it from a Blob, so the
 * token stays in the background and no `downloads` permission is needed (a service worker cannot make blob: URLs).
 * The Catalog widget and the Activities page both use it.
 */
export async function runCsvDownload(
  client: OrgLinkClient,
  runId: string,
  file: 'results' | 'errors',
): Promise<ApiResult<CsvDownload>> {
  const csv = await client.getRunCsv(runId, file);
  if (!csv.ok) return csv;
  if (csv.data.length > MAX_CSV_CHARS) {
    return failed(
      0,
      'CSV_TOO_LARGE',
      `This ${file} CSV is over 32 MB, too large to hand to the page. Download it from the server with your API token (GET /api/runs/${runId}/${file}.csv).`,
    );
  }
  return succeeded({ filename: `orglink-run-${runId}-${file}.csv`, text: csv.data });
}
