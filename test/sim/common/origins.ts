import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { generate as generateCertificate } from 'selfsigned';

/**
 * One origin a simulator serves: a Salesforce org's instance, a login host, a Dynamics environment, a Catalog
 * account. Real clients need each at the root of its own origin (jsforce drops any path in instance_url), so every
 * origin gets its own loopback port for Node clients, and answers to its real host names over one HTTPS port for
 * the browser, which maps those names to loopback with --host-resolver-rules (DESIGN.md section 6).
 */
export interface OriginSpec {
  /** Stable name within the simulator, such as `login`, `org:acme` or `env:contoso`. */
  key: string;
  /** Real host names it answers to over HTTPS, such as `acme.my.salesforce.com`. May be empty. */
  hostnames: string[];
}

interface RequestLike {
  headers: { host?: string | undefined };
  protocol?: string;
}

/** Where each origin of a simulator listens, and which origin a request was addressed to. */
export class Origins {
  readonly #specs = new Map<string, OriginSpec>();
  readonly #keyByHostname = new Map<string, string>();
  readonly #portByKey = new Map<string, number>();
  readonly #keyByPort = new Map<number, string>();
  #loopback = '127.0.0.1';
  #httpsPort: number | undefined;

  add(spec: OriginSpec): OriginSpec {
    if (this.#specs.has(spec.key)) throw new Error(`origin ${spec.key} is already registered`);
    this.#specs.set(spec.key, spec);
    for (const hostname of spec.hostnames) this.#keyByHostname.set(hostname.toLowerCase(), spec.key);
    return spec;
  }

  has(key: string): boolean {
    return this.#specs.has(key);
  }

  specs(): OriginSpec[] {
    return [...this.#specs.values()];
  }

  /** The origin `request` was sent to: by its Host name when that is a registered name, otherwise by its port. */
  resolve(request: RequestLike): string | undefined {
    const host = (request.headers.host ?? '').toLowerCase();
    const [hostname, port] = splitHost(host);
    const byName = this.#keyByHostname.get(hostname);
    if (byName) return byName;
    return port === undefined ? undefined : this.#keyByPort.get(port);
  }

  /** `http://127.0.0.1:<port>`: the address Node clients (jsforce, msal-node's network client, fetch) use. */
  httpUrl(key: string): string {
    const port = this.#portByKey.get(key);
    if (port === undefined) throw new Error(`origin ${key} is not listening`);
    return `http://${this.#loopback}:${port}`;
  }

  /** `https://<first host name>`: the address a browser with host-resolver rules uses. */
  httpsUrl(key: string): string {
    const hostname = this.#specs.get(key)?.hostnames[0];
    if (!hostname) throw new Error(`origin ${key} has no host name`);
    return `https://${hostname}`;
  }

  /**
   * The base URL of origin `key` as the sender of `request` reaches it: by host name over HTTPS when the request
   * came that way, otherwise by loopback port. Use it for every URL a simulator writes into a response
   * (instance_url, identity URLs, nextRecordsUrl, @odata.nextLink, Link headers).
   */
  urlFor(request: RequestLike, key: string): string {
    const [hostname] = splitHost((request.headers.host ?? '').toLowerCase());
    const viaHostname = this.#keyByHostname.has(hostname);
    if (viaHostname && this.#specs.get(key)?.hostnames.length) return this.httpsUrl(key);
    return this.httpUrl(key);
  }

  get httpsPort(): number | undefined {
    return this.#httpsPort;
  }

  /** @internal used by listenOrigins */
  bind(key: string, port: number, loopback: string) {
    this.#portByKey.set(key, port);
    this.#keyByPort.set(port, key);
    this.#loopback = loopback;
  }

  /** @internal used by listenOrigins */
  bindHttps(port: number) {
    this.#httpsPort = port;
  }
}

function splitHost(host: string): [string, number | undefined] {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  if (!match) return [host, undefined];
  return [match[1] ?? host, match[2] ? Number(match[2]) : undefined];
}

export interface ListenOptions {
  /** Loopback address to bind. */
  host?: string;
  /**
   * First port: origins take consecutive ports from it in the order they were added (stable addresses for
   * `npm run sandbox`). 0 or unset: every origin gets a free port (tests).
   */
  basePort?: number;
  /** Also serve every origin by host name over HTTPS on this port (0: a free one), with a certificate made now. */
  https?: { port?: number };
}

export interface ListeningOrigins {
  origins: Origins;
  /** PEM certificate of the HTTPS listener, when there is one. */
  certificate?: string;
  close(): Promise<void>;
}

/**
 * Serves a ready Fastify app on one loopback port per origin (and optionally one HTTPS port for all), through the
 * app's own request handler (`app.routing`), so every origin shares one app and one in-memory state.
 */
export async function listenOrigins(
  app: FastifyInstance,
  origins: Origins,
  options: ListenOptions = {},
): Promise<ListeningOrigins> {
  await app.ready();
  const host = options.host ?? '127.0.0.1';
  const handler = (request: http.IncomingMessage, response: http.ServerResponse) => app.routing(request, response);
  const servers: http.Server[] = [];
  let nextPort = options.basePort ?? 0;
  for (const spec of origins.specs()) {
    const server = http.createServer(handler);
    server.listen(nextPort, host);
    await once(server, 'listening');
    servers.push(server);
    origins.bind(spec.key, (server.address() as AddressInfo).port, host);
    if (nextPort) nextPort += 1;
  }
  let certificate: string | undefined;
  if (options.https) {
    const hostnames = [...new Set(origins.specs().flatMap((spec) => spec.hostnames))];
    const pems = await generateCertificate([{ name: 'commonName', value: hostnames[0] ?? 'localhost' }], {
      keySize: 2048,
      extensions: [
        { name: 'subjectAltName', altNames: [...hostnames, 'localhost'].map((value) => ({ type: 2, value })) },
      ],
    });
    certificate = pems.cert;
    const server = https.createServer({ key: pems.private, cert: pems.cert }, handler);
    server.listen(options.https.port ?? 0, host);
    await once(server, 'listening');
    servers.push(server);
    origins.bindHttps((server.address() as AddressInfo).port);
  }
  return {
    origins,
    ...(certificate ? { certificate } : {}),
    async close() {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
      await app.close();
    },
  };
}
