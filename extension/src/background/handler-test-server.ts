import { afterAll, beforeAll, beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  type LocalTestServer,
  type RecordedRequest,
  type Reply,
  startLocalTestServer,
} from '../api/local-test-server.ts';
import { sampleMe } from '../api/test-fixtures.ts';
import { serverUrlItem, signInItem } from '../storage.ts';

/**
 * The set-up every background-handler test shares: WXT's in-memory browser, a real HTTP server on loopback standing
 * in for the API, answering "METHOD /path" from `answers` (599 for anything not answered), and, unless
 * `token: null`, a signed-in member. Storage, answers and recorded requests start empty in every test.
 */
export function handlerTestServer(register: () => void, options: { token?: string | null } = {}) {
  let server: LocalTestServer | undefined;
  const answers: Record<string, () => Reply> = {};
  const live = () => {
    if (!server) throw new Error('the handler test server is not started yet');
    return server;
  };
  beforeAll(async () => {
    server = await startLocalTestServer(
      (request) => answers[`${request.method} ${request.path}`]?.() ?? { status: 599 },
    );
    register();
  });
  afterAll(() => server?.close());
  beforeEach(async () => {
    await fakeBrowser.storage.local.clear();
    await serverUrlItem.setValue(live().url);
    const token = options.token === undefined ? 'oltok_page_never_sees' : options.token;
    if (token !== null) await signInItem.setValue({ serverUrl: live().url, token, me: sampleMe });
    live().requests.length = 0;
    for (const key of Object.keys(answers)) delete answers[key];
  });
  const api = {
    get url(): string {
      return live().url;
    },
    get requests(): RecordedRequest[] {
      return live().requests;
    },
  };
  return { api, answers };
}
