/**
 * Where a Catalog host's API is. In sandbox mode (SANDBOX_URL) the sandbox index lists every simulated Catalog
 * account with its loopback URL, so `acme.catalog.instructure.com` is reached without DNS tricks; any other host, and
 * every host without a sandbox, is the real https://<host>.
 */
interface SandboxCatalogIndex {
  catalog?: { accounts?: { hostname?: unknown; baseUrl?: unknown }[] };
}

export async function catalogBaseUrl(host: string, sandboxUrl: string | undefined): Promise<string> {
  const normalized = host.trim().toLowerCase();
  if (sandboxUrl) {
    try {
      const response = await fetch(sandboxUrl, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) {
        const index = (await response.json()) as SandboxCatalogIndex;
        const account = index.catalog?.accounts?.find((entry) => entry.hostname === normalized);
        if (account && typeof account.baseUrl === 'string') return account.baseUrl;
      }
    } catch {
      // An unreachable sandbox only means the host is taken literally; the Catalog call reports the real problem.
    }
  }
  return `https://${normalized}`;
}
