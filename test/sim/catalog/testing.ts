import { type ListeningOrigins, listenOrigins } from '../common/origins.ts';
import { type CatalogSimulatorOptions, createCatalogSimulator } from './index.ts';

/** Helpers for this folder's tests: a listening simulator and RFC 5988 Link parsing. */
export async function startCatalog(options: CatalogSimulatorOptions = {}, listen: { https?: boolean } = {}) {
  const sim = createCatalogSimulator(options);
  const listening: ListeningOrigins = await listenOrigins(sim.app, sim.origins, listen.https ? { https: {} } : {});
  return { sim, listening };
}

/** `<url>; rel="next", <url>; rel="last"` → `{ next: url, last: url }`. */
export function parseLinkHeader(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  for (const part of (header ?? '').split(/,\s*(?=<)/)) {
    const match = /^<([^>]+)>;\s*rel="([^"]+)"$/.exec(part.trim());
    if (match?.[1] && match[2]) links[match[2]] = match[1];
  }
  return links;
}

export function tokenHeader(token: string): Record<string, string> {
  return { authorization: `Token token="${token}"` };
}
