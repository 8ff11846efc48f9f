import {
  type CreateDcJobRequest,
  CreateDcJobRequest as CreateDcJobRequestSchema,
  type CreateScenarioRequest,
  CreateScenarioRequest as CreateScenarioRequestSchema,
  DcObject,
  type UpdateScenarioRequest,
  UpdateScenarioRequest as UpdateScenarioRequestSchema,
} from '@orglink/shared';
import { Value } from 'typebox/value';
import { invalidInput } from '../api/api-result.ts';
import { isSalesforceId, type RecordDuplicatesStatus } from '../features/record-duplicates-status.ts';
import { onMessage } from '../messaging.ts';
import { type BadgeBrowser, type BadgeSender, orgBadgeStatusFor } from './badge-handlers.ts';
import { browserCookieAccess } from './browser-cookies.ts';
import { checkId, checkSchema, record, withId } from './handler-input.ts';
import { callSignedIn } from './signed-in-client.ts';

/** Groups per page of the results page: a screenful of cards, each with its records side by side. */
export const DC_GROUPS_PAGE_SIZE = 20;
const CURSOR = /^[0-9]{1,20}$/;

export function getDcGroups(input: unknown) {
  const { runId, cursor } = record(input);
  const id = checkId(runId, 'run');
  if (!id.ok) return Promise.resolve(invalidInput(id.message));
  if (cursor !== undefined && (typeof cursor !== 'string' || !CURSOR.test(cursor))) {
    return Promise.resolve(invalidInput('The page of groups asked for is not valid. Reload the page.'));
  }
  return callSignedIn((client) => client.getDcGroups(id.value, cursor, DC_GROUPS_PAGE_SIZE));
}

/**
 * The record a Salesforce page shows and its possible duplicates. The connection comes from what the page cannot
 * forge (its URL and the org's session cookie, as for the org badge); only the record id comes from the page.
 * Never throws: every failure is an answer that leaves the badge as it was.
 */
export async function recordDuplicatesFor(
  input: unknown,
  sender: BadgeSender,
  browserApi: BadgeBrowser,
): Promise<RecordDuplicatesStatus> {
  const { recordId } = record(input);
  if (!isSalesforceId(recordId)) return { state: 'none' };
  const org = await orgBadgeStatusFor({ kind: 'salesforce' }, sender, browserApi);
  if (org.state === 'unavailable') return { state: 'unavailable', message: org.message };
  if (org.state !== 'connected') return { state: 'none' };
  const found = await callSignedIn((client) => client.getDcRecordMatches(recordId, org.connection.id));
  if (!found.ok) return { state: 'unavailable', message: found.error.message };
  const { runId, finishedAt, matches } = found.data;
  return { state: 'matches', runId, finishedAt, matches };
}

/** Duplicate Check: scenarios, jobs, the results page and the record badge, relayed with the stored token. */
export function registerDcHandlers(browserApi: BadgeBrowser = browserCookieAccess) {
  onMessage('listDcScenarios', ({ data }) => {
    if (!Value.Check(DcObject, data)) {
      return invalidInput('Pick an object: Contact, Lead, Account, or Lead against Contact.');
    }
    return callSignedIn((client) => client.listDcScenarios(data));
  });

  onMessage('createDcScenario', ({ data }) => {
    const checked = checkSchema<CreateScenarioRequest>(CreateScenarioRequestSchema, data, 'scenario');
    if (!checked.ok) return invalidInput(checked.message);
    return callSignedIn((client) => client.createDcScenario(checked.value));
  });

  onMessage('updateDcScenario', ({ data }) => {
    const { id, patch } = record(data);
    const scenario = checkId(id, 'scenario');
    if (!scenario.ok) return invalidInput(scenario.message);
    const checked = checkSchema<UpdateScenarioRequest>(UpdateScenarioRequestSchema, patch, 'scenario');
    if (!checked.ok) return invalidInput(checked.message);
    return callSignedIn((client) => client.updateDcScenario(scenario.value, checked.value));
  });

  onMessage('deleteDcScenario', ({ data }) =>
    withId(data, 'scenario', async (id) => {
      const result = await callSignedIn((client) => client.deleteDcScenario(id));
      return result.ok ? { ok: true as const, data: null } : result;
    }),
  );

  onMessage('createDcJob', ({ data }) => {
    const checked = checkSchema<CreateDcJobRequest>(CreateDcJobRequestSchema, data, 'Duplicate Check job');
    if (!checked.ok) return invalidInput(checked.message);
    return callSignedIn((client) => client.createDcJob(checked.value));
  });

  onMessage('runJob', ({ data }) => withId(data, 'job', (id) => callSignedIn((client) => client.runJob(id))));
  onMessage('startRun', ({ data }) => withId(data, 'run', (id) => callSignedIn((client) => client.startRun(id))));
  onMessage('getDcGroups', ({ data }) => getDcGroups(data));
  onMessage('dismissDcPair', ({ data }) =>
    withId(data, 'pair', (id) => callSignedIn((client) => client.dismissDcPair(id))),
  );
  onMessage('restoreDcPair', ({ data }) =>
    withId(data, 'pair', (id) => callSignedIn((client) => client.restoreDcPair(id))),
  );
  onMessage('getRecordDuplicates', ({ data, sender }) => recordDuplicatesFor(data, sender, browserApi));
}
