import { IntegrationErrorCode } from '@orglink/shared';
import { ApiError } from '../../http-errors.ts';
import {
  CATALOG_MAX_PER_PAGE,
  CatalogClient,
  CatalogTokenRejected,
  CatalogUnavailable,
} from '../../sources/catalog/catalog-client.ts';

/** Linking is interactive: a throttled Catalog gets a couple of short retries, not the runner's patience. */
const INTERACTIVE = { maxRetries: 2, maxRetryWaitMs: 5_000 };

function catalogProblem(error: unknown, host: string): ApiError {
  if (error instanceof CatalogTokenRejected) {
    return new ApiError(422, IntegrationErrorCode.CatalogTokenRejected, error.message);
  }
  if (error instanceof CatalogUnavailable) {
    return new ApiError(
      503,
      IntegrationErrorCode.CatalogUnreachable,
      `Catalog at ${host} could not be reached (${error.message}). Check the host and try again in a minute.`,
    );
  }
  return error instanceof ApiError ? error : new ApiError(503, IntegrationErrorCode.CatalogUnreachable, String(error));
}

/** Proves the token against the Catalog API (one small request). */
export async function checkCatalogToken(baseUrl: string, host: string, token: string): Promise<void> {
  try {
    await new CatalogClient({ baseUrl, token, ...INTERACTIVE }).checkToken();
  } catch (error) {
    throw catalogProblem(error, host);
  }
}

/** The custom field names on a sample page of the account's users: what a mapping may read besides the fixed ones. */
export async function sampleCustomFields(baseUrl: string, host: string, token: string): Promise<Set<string>> {
  try {
    const page = await new CatalogClient({ baseUrl, token, ...INTERACTIVE }).usersPage({
      page: 1,
      perPage: CATALOG_MAX_PER_PAGE,
    });
    return new Set(page.users.flatMap((user) => Object.keys(user.custom_fields ?? {})));
  } catch (error) {
    throw catalogProblem(error, host);
  }
}
