import jsforce from 'jsforce';
import type { Sandbox } from '../../sim/sandbox.ts';

/**
 * A jsforce connection straight to a simulator org, as its first user: for loading test data the way an admin's data
 * loader would, outside OrgLink (so the data is not made by the code under test).
 */
export async function salesforceLoader(sandbox: Sandbox, orgName = 'acme'): Promise<jsforce.Connection> {
  const info = sandbox.salesforce.describe();
  const org = info.orgs.find((candidate) => candidate.name === orgName);
  const connectedApp = info.connectedApps[0];
  const user = org?.users[0];
  if (!org?.loginUrls.generic || !connectedApp || !user) throw new Error(`the simulator has no ${orgName} org`);
  const loader = new jsforce.Connection({
    oauth2: {
      loginUrl: org.loginUrls.generic,
      clientId: connectedApp.clientId,
      clientSecret: connectedApp.clientSecret,
    },
    version: '62.0',
  });
  await loader.login(user.username, user.passwordWithToken);
  loader.bulk2.pollInterval = 200;
  loader.bulk2.pollTimeout = 600_000;
  return loader;
}

/** Inserts records through Bulk API 2.0 (any number); returns the new Ids (Salesforce's order, not the input's). */
export async function loadRecords(
  loader: jsforce.Connection,
  object: string,
  records: Record<string, string>[],
): Promise<string[]> {
  if (records.length === 0) return [];
  const columns = [...new Set(records.flatMap((record) => Object.keys(record)))];
  const cell = (value: string | undefined) => `"${(value ?? '').replaceAll('"', '""')}"`;
  const csv = [columns.join(','), ...records.map((record) => columns.map((c) => cell(record[c])).join(','))].join('\n');
  const results = await loader.bulk2.loadAndWaitForResults({
    object,
    operation: 'insert',
    input: csv,
    lineEnding: 'LF',
  });
  if (results.failedResults.length > 0) {
    throw new Error(`loading ${object} failed: ${JSON.stringify(results.failedResults.slice(0, 3))}`);
  }
  return results.successfulResults.map((row) => String(row.sf__Id));
}
