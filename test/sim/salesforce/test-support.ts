import jsforce from 'jsforce';
import { type ListeningOrigins, listenOrigins } from '../common/origins.ts';
import { createSalesforceSimulator, type SalesforceSimulator, type SalesforceSimulatorOptions } from './index.ts';

/** Shared set-up for this folder's tests: a listening simulator, jsforce connections and a tiny browser. */

export const API_VERSION = '62.0';

export interface Running {
  sim: SalesforceSimulator;
  listening: ListeningOrigins;
  info: ReturnType<SalesforceSimulator['describe']>;
  close(): Promise<void>;
}

export async function startSimulator(options: SalesforceSimulatorOptions = {}): Promise<Running> {
  const sim = createSalesforceSimulator({ recordCounts: { Account: 40, Contact: 120, Lead: 60 }, ...options });
  const listening = await listenOrigins(sim.app, sim.origins);
  return { sim, listening, info: sim.describe(), close: () => listening.close() };
}

export function orgInfo(running: Running, name: string) {
  const org = running.info.orgs.find((candidate) => candidate.name === name);
  if (!org) throw new Error(`no org ${name}`);
  return org;
}

export function userInfo(running: Running, orgName: string, username: string) {
  const user = orgInfo(running, orgName).users.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`no user ${username}`);
  return user;
}

export function appInfo(running: Running, index = 0) {
  const app = running.info.connectedApps[index];
  if (!app) throw new Error(`no connected app ${index}`);
  return app;
}

/** A connection logged in with the OAuth password flow (the quickest way to an API session). */
export async function connect(
  running: Running,
  orgName = 'acme',
  username = orgName === 'acme--uat' ? 'admin@acme.com.uat' : `admin@${orgName}.com`,
  version = API_VERSION,
): Promise<jsforce.Connection> {
  const org = orgInfo(running, orgName);
  const user = userInfo(running, orgName, username);
  const app = appInfo(running);
  const loginUrl = org.loginUrls.generic;
  if (!loginUrl) throw new Error('simulator is not listening');
  const conn = new jsforce.Connection({
    oauth2: { loginUrl, clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: 'http://localhost/cb' },
    version,
  });
  await conn.login(user.username, user.passwordWithToken);
  return conn;
}

/** Raw authenticated fetch against an org, for status codes and headers jsforce hides. */
export async function rawFetch(conn: jsforce.Connection, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${conn.accessToken}`);
  return fetch(`${conn.instanceUrl}${path}`, { ...init, headers });
}

/** A minimal browser: follows nothing by itself, keeps cookies per host (ports ignored, as browsers do). */
export class Browser {
  readonly #cookies = new Map<string, Map<string, string>>();

  cookie(url: string, name: string): string | undefined {
    return this.#cookies.get(new URL(url).hostname)?.get(name);
  }

  async get(url: string): Promise<Response> {
    return this.request(url, { method: 'GET' });
  }

  async postForm(url: string, form: Record<string, string>): Promise<Response> {
    return this.request(url, {
      method: 'POST',
      body: new URLSearchParams(form).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  async request(url: string, init: RequestInit): Promise<Response> {
    const host = new URL(url).hostname;
    const jar = this.#cookies.get(host) ?? new Map<string, string>();
    this.#cookies.set(host, jar);
    const headers = new Headers(init.headers);
    if (jar.size) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/Max-Age=0/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }

  /** Follows redirects like a browser until a non-redirect, or until `stop` says a Location is the destination. */
  async follow(
    url: string,
    stop: (location: string) => boolean = () => false,
  ): Promise<{ response: Response; url: string }> {
    let current = url;
    for (let hop = 0; hop < 15; hop += 1) {
      const response = await this.get(current);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { response, url: current };
      const next = new URL(location, current).toString();
      if (stop(next)) return { response, url: next };
      current = next;
    }
    throw new Error('too many redirects');
  }
}

/** The value of a named input in an HTML form. */
export function formValue(html: string, name: string): string | undefined {
  const match = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  return match?.[1]?.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}
