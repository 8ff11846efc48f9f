// Salesforce simulator benchmark: 100,000-row Bulk 2.0 ingest (insert, then upsert) through jsforce bulk2, and a
// 100,000-row query through jsforce autoFetch and through raw Bulk 2.0 query paging. Prints figures; asserts nothing.
// Run: node test/bench/salesforce-sim.bench.ts   (Node 24; ROWS=50000 to change the size)
import jsforce from 'jsforce';
import { listenOrigins } from '../sim/common/origins.ts';
import { createSalesforceSimulator } from '../sim/salesforce/index.ts';
import { reportFigure, seconds } from './support/report.ts';

const ROWS = Number(process.env.ROWS ?? 100_000);
const VERSION = '62.0';

interface Figure {
  step: string;
  rows: number;
  clientMs: number;
  simulatorMs?: number;
}

const figures: Figure[] = [];

async function timed<T>(step: string, rows: (result: T) => number, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  figures.push({ step, rows: rows(result), clientMs: performance.now() - started });
  return result;
}

const sim = createSalesforceSimulator({ recordCounts: { Account: 10, Contact: 10, Lead: 10 } });
const listening = await listenOrigins(sim.app, sim.origins);
try {
  const info = sim.describe();
  const org = info.orgs.find((candidate) => candidate.name === 'acme');
  const app = info.connectedApps[0];
  const user = org?.users[0];
  if (!org || !app || !user || !org.loginUrls.generic) throw new Error('simulator describe() is missing acme');
  const conn = new jsforce.Connection({
    oauth2: { loginUrl: org.loginUrls.generic, clientId: app.clientId, clientSecret: app.clientSecret },
    version: VERSION,
  });
  await conn.login(user.username, user.passwordWithToken);
  conn.bulk2.pollInterval = 100;
  conn.bulk2.pollTimeout = 120_000;

  const people = Array.from({ length: ROWS }, (_, index) => ({
    FirstName: `Bench${index % 997}`,
    LastName: `Person ${index}`,
    Email: `bench.person.${index}@example.com`,
    LMS_User_Id__c: `bench-${index}`,
  }));

  const jobTime = async (object: string): Promise<number | undefined> => {
    const jobs = (await conn.request(`/services/data/v${VERSION}/jobs/ingest`)) as { records: { id: string }[] };
    const last = jobs.records.at(-1);
    if (!last) return undefined;
    const job = (await conn.request(`/services/data/v${VERSION}/jobs/ingest/${last.id}`)) as {
      totalProcessingTime: number;
      object: string;
    };
    return job.object === object ? job.totalProcessingTime : undefined;
  };

  await timed(
    'Bulk 2.0 ingest insert (jsforce loadAndWaitForResults)',
    (result: { successfulResults: unknown[] }) => result.successfulResults.length,
    () => conn.bulk2.loadAndWaitForResults({ object: 'Contact', operation: 'insert', input: people }),
  );
  (figures.at(-1) as Figure).simulatorMs = await jobTime('Contact');

  await timed(
    'Bulk 2.0 ingest upsert by LMS_User_Id__c',
    (result: { successfulResults: unknown[] }) => result.successfulResults.length,
    () =>
      conn.bulk2.loadAndWaitForResults({
        object: 'Contact',
        operation: 'upsert',
        externalIdFieldName: 'LMS_User_Id__c',
        input: people.map((person) => ({ ...person, Title: 'Benchmarked' })),
      }),
  );
  (figures.at(-1) as Figure).simulatorMs = await jobTime('Contact');

  await timed(
    'REST query, autoFetch through nextRecordsUrl',
    (records: unknown[]) => records.length,
    async () => {
      const records: unknown[] = [];
      await conn
        .query("SELECT Id, FirstName, LastName, Email, LMS_User_Id__c FROM Contact WHERE LastName LIKE 'Person%'", {
          autoFetch: true,
          maxFetch: ROWS * 2,
        })
        .on('record', (record: unknown) => records.push(record))
        .run();
      return records;
    },
  );

  let resultPages = 0;
  await timed(
    'Bulk 2.0 query, raw results paging (Sforce-Locator)',
    (count: number) => count,
    async () => {
      const created = (await conn.request({
        method: 'POST',
        url: `/services/data/v${VERSION}/jobs/query`,
        body: JSON.stringify({ operation: 'query', query: 'SELECT Id, FirstName, LastName, Email FROM Contact' }),
        headers: { 'content-type': 'application/json' },
      })) as { id: string };
      let state = '';
      while (state !== 'JobComplete') {
        state = ((await conn.request(`/services/data/v${VERSION}/jobs/query/${created.id}`)) as { state: string })
          .state;
        if (state === 'Failed' || state === 'Aborted') throw new Error(`query job ${state}`);
        if (state !== 'JobComplete') await new Promise((resolve) => setTimeout(resolve, 50));
      }
      let locator = '';
      let count = 0;
      let pages = 0;
      while (locator !== 'null') {
        const url = `${conn.instanceUrl}/services/data/v${VERSION}/jobs/query/${created.id}/results${locator ? `?locator=${locator}` : ''}`;
        const response = await fetch(url, {
          headers: { authorization: `Bearer ${conn.accessToken}`, accept: 'text/csv' },
        });
        count += Number(response.headers.get('sforce-numberofrecords'));
        locator = response.headers.get('sforce-locator') ?? 'null';
        await response.text();
        pages += 1;
      }
      resultPages = pages;
      return count;
    },
  );
  figures.push({ step: `  in ${resultPages} results pages`, rows: figures.at(-1)?.rows ?? 0, clientMs: 0 });

  const width = Math.max(...figures.map((figure) => figure.step.length));
  process.stdout.write(`\nSalesforce simulator, ${ROWS.toLocaleString('en-US')} rows, Node ${process.version}\n\n`);
  process.stdout.write(
    `${'step'.padEnd(width)}  ${'rows'.padStart(8)}  ${'total ms'.padStart(9)}  ${'sim ms'.padStart(7)}\n`,
  );
  for (const figure of figures) {
    const total = figure.clientMs ? figure.clientMs.toFixed(0) : '';
    const simulator = figure.simulatorMs === undefined ? '' : String(figure.simulatorMs);
    process.stdout.write(
      `${figure.step.padEnd(width)}  ${String(figure.rows).padStart(8)}  ${total.padStart(9)}  ${simulator.padStart(7)}\n`,
    );
  }
  process.stdout.write("\ntotal ms: client view, jsforce included; sim ms: the job's totalProcessingTime.\n");
  const headlines = ['Bulk 2.0 ingest insert', 'Bulk 2.0 ingest upsert', 'REST query, autoFetch', 'Bulk 2.0 query'];
  for (const figure of figures) {
    const headline = headlines.find((prefix) => figure.step.startsWith(prefix));
    if (headline) {
      reportFigure({
        bench: 'salesforce-sim',
        figure: `${headline}, ${figure.rows.toLocaleString('en-US')} rows`,
        value: seconds(figure.clientMs),
        unit: 's',
      });
    }
  }
} finally {
  await listening.close();
}
