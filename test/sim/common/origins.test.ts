import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { type ListeningOrigins, listenOrigins, Origins } from './origins.ts';

let listening: ListeningOrigins | undefined;
afterEach(async () => listening?.close());

function echoApp(origins: Origins) {
  const app = Fastify();
  app.get('/whoami', async (request) => ({
    origin: origins.resolve(request),
    self: origins.urlFor(request, origins.resolve(request) ?? ''),
  }));
  return app;
}

describe('listenOrigins', () => {
  it('serves each origin on its own loopback port from one app', async () => {
    const origins = new Origins();
    origins.add({ key: 'login', hostnames: ['login.salesforce.com'] });
    origins.add({ key: 'org:acme', hostnames: ['acme.my.salesforce.com'] });
    listening = await listenOrigins(echoApp(origins), origins);
    for (const key of ['login', 'org:acme']) {
      const url = origins.httpUrl(key);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(`${url}/whoami`)).json()).toEqual({ origin: key, self: url });
    }
    expect(origins.httpUrl('login')).not.toBe(origins.httpUrl('org:acme'));
  });

  it('takes consecutive ports from a base port when asked, for stable sandbox addresses', async () => {
    const origins = new Origins();
    origins.add({ key: 'a', hostnames: [] });
    origins.add({ key: 'b', hostnames: [] });
    const probe = Fastify();
    await probe.listen({ port: 0, host: '127.0.0.1' });
    const base = (probe.server.address() as { port: number }).port + 1;
    await probe.close();
    listening = await listenOrigins(echoApp(origins), origins, { basePort: base });
    expect(origins.httpUrl('a')).toBe(`http://127.0.0.1:${base}`);
    expect(origins.httpUrl('b')).toBe(`http://127.0.0.1:${base + 1}`);
  });

  it('answers by real host name over HTTPS and writes https URLs for such requests', async () => {
    const origins = new Origins();
    origins.add({ key: 'org:acme', hostnames: ['acme.my.salesforce.com', 'acme.lightning.force.com'] });
    listening = await listenOrigins(echoApp(origins), origins, { https: {} });
    expect(listening.certificate).toContain('BEGIN CERTIFICATE');
    const { request } = await import('node:https');
    const body = await new Promise<string>((resolve, reject) => {
      request(
        {
          host: '127.0.0.1',
          port: origins.httpsPort,
          path: '/whoami',
          headers: { host: 'acme.lightning.force.com' },
          ca: listening?.certificate,
          servername: 'acme.lightning.force.com',
        },
        (response) => {
          let text = '';
          response.on('data', (chunk) => {
            text += chunk;
          });
          response.on('end', () => resolve(text));
        },
      )
        .on('error', reject)
        .end();
    });
    expect(JSON.parse(body)).toEqual({ origin: 'org:acme', self: 'https://acme.my.salesforce.com' });
  });
});
