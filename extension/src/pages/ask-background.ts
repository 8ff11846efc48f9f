import { type ApiResult, ClientErrorCode, failed } from '../api/api-result.ts';

/**
 * Sends a page's request to the background and turns a background that does not answer (just updated, or
 * crashed) into the same failure shape as the API's, so every page has one way to show a problem.
 */
export async function askBackground<T>(send: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  try {
    return await send();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failed(
      0,
      ClientErrorCode.BackgroundUnavailable,
      `The extension's background did not answer (${reason}). Reload this page.`,
    );
  }
}
