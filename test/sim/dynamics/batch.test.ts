import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ListeningOrigins } from '../common/origins.ts';
import type { DynamicsSimulator } from './index.ts';
import { ADMIN, CONTOSO, signIn, startDynamics } from './testing.ts';

let sim: DynamicsSimulator;
let listening: ListeningOrigins;
let token: string;
let root: string;

beforeAll(async () => {
  ({ sim, listening } = await startDynamics({ records: { accounts: 5, contacts: 10, leads: 5 } }));
  token = (await signIn(sim, ADMIN, CONTOSO)).accessToken;
  root = `${sim.origins.httpUrl('env:contoso')}/api/data/v9.2/`;
});
afterAll(async () => listening.close());
beforeEach(() => {
  for (const table of ['contacts', 'leads']) {
    for (const row of sim.control.records('contoso', table)) {
      if (String(row.lastname).startsWith('Batch-'))
        sim.control.deleteRecord('contoso', table, String(row[table === 'contacts' ? 'contactid' : 'leadid']));
    }
  }
  sim.control.resetCounters();
});

interface Request {
  method: string;
  url: string;
  body?: unknown;
  contentId?: string;
  headers?: Record<string, string>;
}

/** A `$batch` body as Microsoft's samples write it (CRLF, application/http parts, change sets as nested parts). */
function part(request: Request): string {
  const mime = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (request.contentId) mime.push(`Content-ID: ${request.contentId}`);
  const headers = Object.entries({
    ...(request.body ? { 'Content-Type': 'application/json; type=entry' } : {}),
    ...request.headers,
  }).map(([name, value]) => `${name}: ${value}`);
  const body = request.body === undefined ? '' : JSON.stringify(request.body);
  return `${mime.join('\r\n')}\r\n\r\n${request.method} ${request.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n${body}`;
}

function batchBody(items: (Request | Request[])[]): string {
  const lines: string[] = [];
  items.forEach((item, index) => {
    if (Array.isArray(item)) {
      const changeset = `changeset_${index}`;
      lines.push('--batch_B1', `Content-Type: multipart/mixed; boundary="${changeset}"`, '');
      for (const request of item) lines.push(`--${changeset}`, part(request));
      lines.push(`--${changeset}--`);
    } else {
      lines.push('--batch_B1', part(item));
    }
  });
  lines.push('--batch_B1--', '');
  return lines.join('\r\n');
}

async function sendBatch(items: (Request | Request[])[], prefer?: string) {
  const response = await fetch(`${root}$batch`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'multipart/mixed; boundary="batch_B1"',
      accept: 'application/json',
      'odata-version': '4.0',
      ...(prefer ? { prefer } : {}),
    },
    body: batchBody(items),
  });
  return { response, text: await response.text() };
}

/** The status lines of the inner responses, in order. */
function statuses(text: string): number[] {
  return [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((match) => Number(match[1]));
}

const lastNames = (table = 'contacts') =>
  sim.control
    .records('contoso', table)
    .map((row) => String(row.lastname))
    .filter((name) => name.startsWith('Batch-'))
    .sort();

describe('$batch', () => {
  it('runs requests and change sets in order, resolving Content-ID references', async () => {
    const { response, text } = await sendBatch([
      { method: 'POST', url: '/api/data/v9.2/accounts', body: { name: 'Batch Account' } },
      [
        {
          method: 'POST',
          url: `${root}contacts`,
          contentId: '1',
          body: { firstname: 'Linked', lastname: 'Batch-One' },
        },
        { method: 'PATCH', url: '$1', contentId: '2', body: { jobtitle: 'Referenced by $1' } },
        {
          method: 'POST',
          url: 'leads',
          contentId: '3',
          body: { subject: 'From batch', lastname: 'Batch-Lead', 'parentcontactid@odata.bind': '$1' },
        },
      ],
      { method: 'GET', url: `${root}contacts?$select=fullname,jobtitle&$filter=lastname eq 'Batch-One'` },
    ]);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^multipart\/mixed; boundary=batchresponse_[0-9a-f-]{36}$/);
    expect(statuses(text)).toEqual([204, 204, 204, 204, 200]);
    expect(text).toMatch(/Content-Type: multipart\/mixed; boundary=changesetresponse_[0-9a-f-]{36}/);
    expect(text).toMatch(
      /Content-ID: 1\r\n\r\nHTTP\/1\.1 204 No Content\r\nOData-Version: 4\.0\r\nOData-EntityId: http:\/\/127\.0\.0\.1:\d+\/api\/data\/v9\.2\/contacts\([0-9a-f-]{36}\)/,
    );
    const contact = sim.control.records('contoso', 'contacts').find((row) => row.lastname === 'Batch-One');
    expect(contact?.jobtitle).toBe('Referenced by $1');
    const lead = sim.control.records('contoso', 'leads').find((row) => row.lastname === 'Batch-Lead');
    expect(lead?._parentcontactid_value).toBe(contact?.contactid);
    const json = JSON.parse(text.slice(text.lastIndexOf('{"@odata.context"'), text.lastIndexOf('}') + 1)) as {
      value: { jobtitle: string }[];
    };
    expect(json.value).toEqual([
      expect.objectContaining({ fullname: 'Linked Batch-One', jobtitle: 'Referenced by $1' }),
    ]);
    expect(sim.control.counters()).toMatchObject({ batch: 1, 'webapi-write': 4, 'webapi-read': 1 });
  });

  it('rolls a failing change set back and stops the batch at the first failure', async () => {
    const { response, text } = await sendBatch([
      { method: 'POST', url: 'contacts', body: { lastname: 'Batch-Before' } },
      [
        { method: 'POST', url: 'contacts', contentId: '1', body: { lastname: 'Batch-Rolled-Back' } },
        { method: 'POST', url: 'contacts', contentId: '2', body: { lastname: 'Batch-'.padEnd(60, 'x') } },
      ],
      { method: 'POST', url: 'contacts', body: { lastname: 'Batch-Never' } },
    ]);
    expect(response.status).toBe(400);
    expect(statuses(text)).toEqual([204, 400]);
    expect(text).toContain('Content-ID: 2\r\n\r\nHTTP/1.1 400 Bad Request');
    expect(text).toContain(
      `{"error":{"code":"0x80044331","message":"A validation error occurred.  The length of the 'lastname' attribute of the 'contact' entity exceeded the maximum allowed length of '50'."}}`,
    );
    expect(lastNames()).toEqual(['Batch-Before']);
  });

  it('goes on after failures with Prefer: odata.continue-on-error, still rolling back the failed change set', async () => {
    const { response, text } = await sendBatch(
      [
        {
          method: 'PATCH',
          url: 'contacts(00000000-0000-0000-0000-00000000dead)',
          headers: { 'If-Match': '*' },
          body: { lastname: 'Batch-Missing' },
        },
        [
          { method: 'POST', url: 'contacts', contentId: 'a', body: { lastname: 'Batch-Undone' } },
          { method: 'DELETE', url: 'contacts(00000000-0000-0000-0000-00000000beef)', contentId: 'b' },
        ],
        [{ method: 'POST', url: 'contacts', contentId: 'c', body: { lastname: 'Batch-Kept' } }],
        { method: 'POST', url: 'contacts', body: { lastname: 'Batch-After' } },
      ],
      'odata.continue-on-error',
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('preference-applied')).toBe('odata.continue-on-error');
    expect(statuses(text)).toEqual([404, 404, 204, 204]);
    expect(lastNames()).toEqual(['Batch-After', 'Batch-Kept']);
  });

  it('rejects a reference to an undeclared Content-ID and GET inside a change set, executing nothing', async () => {
    const early = await sendBatch([
      [
        {
          method: 'POST',
          url: 'leads',
          contentId: '2',
          body: { subject: 'x', lastname: 'Batch-Early', 'parentcontactid@odata.bind': '$1' },
        },
        { method: 'POST', url: 'contacts', contentId: '1', body: { lastname: 'Batch-Late' } },
      ],
    ]);
    expect(early.response.status).toBe(400);
    expect(JSON.parse(early.text)).toEqual({
      error: { code: '0x80060888', message: "Content-ID Reference: '$1' does not exist in the batch context." },
    });
    const get = await sendBatch([[{ method: 'GET', url: 'contacts' }]]);
    expect(get.response.status).toBe(400);
    expect(lastNames()).toEqual([]);
    expect(lastNames('leads')).toEqual([]);
  });
});
