import { IntegrationErrorCode } from '@orglink/shared';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { SandboxIndexReader } from '../../crm/sandbox-index.ts';
import { ApiError } from '../../http-errors.ts';

/** Catalog's own hosted domains; any other host is a custom domain the admin names. */
export const CATALOG_HOST_SUFFIXES = ['.catalog.instructure.com', '.catalog.canvaslms.com'];

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function invalidHost(message: string): ApiError {
  return new ApiError(400, IntegrationErrorCode.CatalogHostInvalid, message);
}

/**
 * The Catalog account's host: acme.catalog.instructure.com, acme.catalog.canvaslms.com or a custom domain. A pasted
 * URL (say, of the admin's Integrations page) is reduced to its host; an IP address, a port or a Canvas LMS host
 * (which is not Catalog) is refused with what to enter instead.
 */
export function normalizeCatalogHost(raw: string): string {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw invalidHost(`"${raw}" is not a host name. Enter your Catalog host, such as acme.catalog.instructure.com.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidHost(`"${raw}" is not a web address. Enter your Catalog host, such as acme.catalog.instructure.com.`);
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (url.port) {
    throw invalidHost(`Enter the Catalog host without a port (got "${raw}"); Catalog is served on the standard port.`);
  }
  if (/^[\d.]+$/.test(host) || host.startsWith('[')) {
    throw invalidHost(`"${host}" is an IP address. Enter the Catalog host name, such as acme.catalog.instructure.com.`);
  }
  if (!host.includes('.') || host.length > 253 || !host.split('.').every((label) => LABEL.test(label))) {
    throw invalidHost(`"${raw}" is not a host name. Enter your Catalog host, such as acme.catalog.instructure.com.`);
  }
  const hosted = CATALOG_HOST_SUFFIXES.find((suffix) => host.endsWith(suffix));
  if (hosted && host.split('.').length !== hosted.split('.').length) {
    throw invalidHost(`"${host}" is not a Catalog account host. It looks like <account>${hosted}.`);
  }
  if (!hosted && (host.endsWith('.instructure.com') || host.endsWith('.canvaslms.com'))) {
    throw invalidHost(
      `"${host}" is a Canvas LMS host, not Catalog. Catalog hosts look like <account>.catalog.instructure.com.`,
    );
  }
  return host;
}

export interface CatalogAccountEndpoint {
  /** Where the Catalog API is reached: https://<host>, or the sandbox simulator's loopback URL. */
  baseUrl: string;
  /** The account's name when known (the sandbox lists it; the public API does not name the account). */
  name: string | null;
}

const SandboxCatalog = Type.Object({
  catalog: Type.Object({
    accounts: Type.Array(
      Type.Object({ hostname: Type.String(), name: Type.String(), baseUrl: Type.String({ pattern: '^https?://' }) }),
    ),
  }),
});

/**
 * Where Catalog accounts are. In sandbox mode (SANDBOX_URL set) the real host names do not resolve, so a host is
 * looked up among the sandbox's Catalog accounts, as Salesforce My Domains are; otherwise it is the host itself.
 */
export class CatalogAccounts {
  readonly #sandbox: SandboxIndexReader | undefined;

  constructor(sandboxUrl: string | undefined) {
    this.#sandbox = sandboxUrl ? new SandboxIndexReader(sandboxUrl) : undefined;
  }

  async endpoint(host: string): Promise<CatalogAccountEndpoint> {
    if (!this.#sandbox) return { baseUrl: `https://${host}`, name: null };
    const index: unknown = await this.#sandbox.read();
    if (!Value.Check(SandboxCatalog, index)) {
      throw new ApiError(
        503,
        IntegrationErrorCode.CatalogUnreachable,
        `The sandbox at ${this.#sandbox.url} lists no Catalog accounts. Start the sandbox from the same OrgLink checkout.`,
      );
    }
    const account = index.catalog.accounts.find((candidate) => candidate.hostname.toLowerCase() === host);
    if (!account) {
      throw invalidHost(
        `The sandbox has no Catalog account ${host}. Use one of ${index.catalog.accounts.map((candidate) => candidate.hostname).join(', ')}.`,
      );
    }
    return { baseUrl: account.baseUrl, name: account.name };
  }
}
