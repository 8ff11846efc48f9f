import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { createCatalogSimulator } from './catalog/index.ts';
import { type ListeningOrigins, listenOrigins } from './common/origins.ts';
import type { Simulator } from './common/simulator.ts';
import { createDynamicsSimulator } from './dynamics/index.ts';
import { createSalesforceSimulator } from './salesforce/index.ts';

export interface SandboxOptions {
  host?: string;
  /**
   * Port of the sandbox index. With a fixed port (8800 by default for `npm run sandbox`) every simulator takes a
   * fixed block of ports after it, so addresses stay the same across restarts; with 0 every port is a free one.
   */
  port?: number;
  /** Also serve the simulators by their real host names over HTTPS, for browser tests. */
  https?: boolean;
  seed?: number;
}

/** Port blocks after the index port: room for each simulator's origins, then one HTTPS port per simulator. */
const PORT_BLOCKS = { salesforce: 1, dynamics: 20, catalog: 50, https: 70 } as const;

export interface Sandbox {
  /** The sandbox index, such as http://127.0.0.1:8800/ */
  url: string;
  salesforce: ReturnType<typeof createSalesforceSimulator>;
  dynamics: ReturnType<typeof createDynamicsSimulator>;
  catalog: ReturnType<typeof createCatalogSimulator>;
  /** Chromium's --host-resolver-rules value that sends the real host names to the HTTPS listeners. */
  hostResolverRules: string | undefined;
  close(): Promise<void>;
}

/** Host-name patterns a browser maps to each simulator's HTTPS listener (DESIGN.md section 6). */
const BROWSER_HOST_PATTERNS: Record<string, string[]> = {
  salesforce: [
    'login.salesforce.com',
    'test.salesforce.com',
    '*.my.salesforce.com',
    '*.sandbox.my.salesforce.com',
    '*.lightning.force.com',
    '*.sandbox.lightning.force.com',
  ],
  dynamics: [
    'login.microsoftonline.com',
    'login.microsoftonline.us',
    'login.chinacloudapi.cn',
    'login.partner.microsoftonline.cn',
    '*.dynamics.com',
    '*.crm.microsoftdynamics.us',
    '*.crm.appsplatform.us',
    '*.crm.dynamics.cn',
  ],
  catalog: ['*.catalog.instructure.com', '*.catalog.canvaslms.com'],
};

/** Starts every simulator and the index that lists them. What `npm run sandbox`, `npm start` and the tests use. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const indexPort = options.port ?? 0;
  const seed = options.seed ?? 1;
  const simulators = {
    salesforce: createSalesforceSimulator({ seed }),
    dynamics: createDynamicsSimulator({ seed }),
    catalog: createCatalogSimulator({ seed }),
  };
  const listening: ListeningOrigins[] = [];
  const httpsPorts: Record<string, number> = {};
  const index = Fastify();
  try {
    let httpsOffset = 0;
    for (const [name, simulator] of Object.entries(simulators) as [keyof typeof simulators, Simulator][]) {
      const block = PORT_BLOCKS[name];
      const served = await listenOrigins(simulator.app, simulator.origins, {
        host,
        basePort: indexPort ? indexPort + block : 0,
        ...(options.https ? { https: { port: indexPort ? indexPort + PORT_BLOCKS.https + httpsOffset : 0 } } : {}),
      });
      httpsOffset += 1;
      listening.push(served);
      if (served.origins.httpsPort) httpsPorts[name] = served.origins.httpsPort;
    }
    const hostResolverRules = options.https
      ? Object.entries(httpsPorts)
          .flatMap(([name, port]) =>
            (BROWSER_HOST_PATTERNS[name] ?? []).map((pattern) => `MAP ${pattern} ${host}:${port}`),
          )
          .concat('EXCLUDE localhost')
          .join(', ')
      : undefined;

    index.get('/', async () => ({
      sandbox: 'OrgLink sandbox: local simulators of Salesforce, Dynamics 365 with Entra ID, and Catalog',
      note: 'State is in memory and reseeded at every start. Fault and test controls are under /__sim/ on each simulator.',
      seed,
      salesforce: simulators.salesforce.describe(),
      dynamics: simulators.dynamics.describe(),
      catalog: simulators.catalog.describe(),
      ...(hostResolverRules
        ? {
            browser: {
              httpsPorts,
              chromiumFlags: [`--host-resolver-rules=${hostResolverRules}`, '--ignore-certificate-errors'],
            },
          }
        : {}),
    }));
    await index.listen({ host, port: indexPort });
    const { port } = index.server.address() as AddressInfo;
    return {
      url: `http://${host}:${port}/`,
      ...simulators,
      hostResolverRules,
      async close() {
        await index.close();
        await Promise.all(listening.map((served) => served.close()));
      },
    };
  } catch (error) {
    await index.close();
    await Promise.all(listening.map((served) => served.close()));
    throw error;
  }
}
