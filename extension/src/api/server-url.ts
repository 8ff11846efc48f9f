/** Where the companion API runs unless the admin says otherwise: what `npm start` prints. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';

export type ParsedServerUrl = { ok: true; url: string } | { ok: false; message: string };

/**
 * Checks what the admin typed as the server address and normalises it to an origin-plus-path without a trailing
 * slash, so that `${url}/api/...` is always right. Refuses anything that is not an http(s) address, with words
 * saying what to type instead.
 */
export function parseServerUrl(input: string): ParsedServerUrl {
  const text = input.trim();
  const example = `for example ${DEFAULT_SERVER_URL}`;
  if (!text) return { ok: false, message: `Enter the OrgLink server's address, ${example}.` };
  // "127.0.0.1:8787" and "localhost:8787" are the usual slips: suggest the address the admin most likely meant.
  if (!text.includes('://') && URL.canParse(`http://${text}`) && /^[\w.-]+(:\d+)?(\/.*)?$/.test(text)) {
    return { ok: false, message: `The address needs http:// or https:// in front. Did you mean http://${text}?` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      ok: false,
      message: `"${text}" is not a URL. Enter the full address with http:// or https://, ${example}.`,
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: `The address must start with http:// or https:// (got ${url.protocol}), ${example}.` };
  }
  if (url.username || url.password) {
    return { ok: false, message: 'Leave the user name and password out of the address; OrgLink signs in separately.' };
  }
  if (url.search || url.hash) {
    return { ok: false, message: 'Leave out the ? query and # fragment: enter only the server address.' };
  }
  // Over plain http the API token would cross the network readable by anyone on the way; loopback stays local.
  const loopback =
    url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol === 'http:' && !loopback) {
    return {
      ok: false,
      message: `Use https:// for a server that is not on this computer (https://${url.host}): over http your OrgLink sign-in would travel unencrypted.`,
    };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, url: `${url.origin}${path}` };
}
