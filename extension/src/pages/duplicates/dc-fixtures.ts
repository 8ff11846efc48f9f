import type { DcGroup, DcGroupList, DcPair, DcRunSummary, JobRun, Scenario } from '@orglink/shared';
import { sampleRun } from '../../background/run-test-fixtures.ts';

/** Duplicate Check answers shaped exactly as the contract says, for the extension's unit tests. */
export function sampleSummary(overrides: Partial<DcRunSummary> = {}): DcRunSummary {
  return {
    object: 'Contact',
    recordsRead: 1200,
    pairsScored: 5400,
    pairsMatched: 3,
    groups: 2,
    pairsDismissed: 0,
    scenarios: [{ id: 'sc-contact', name: 'Contact: name and e-mail', threshold: 75 }],
    ...overrides,
  };
}

export function sampleDcRun(overrides: Partial<JobRun> = {}): JobRun {
  return sampleRun({
    id: 'run-dc',
    kind: 'duplicate-check',
    title: 'Duplicate Check: Contact',
    integrationId: null,
    status: 'completed',
    counts: { total: 1200, processed: 1200, created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 },
    finishedAt: '2030-01-01T10:00:09.000Z',
    duplicates: sampleSummary(),
    ...overrides,
  });
}

export function samplePair(overrides: Partial<DcPair> = {}): DcPair {
  return {
    id: 'pair-1',
    recordA: '003000000000001AAA',
    recordB: '003000000000002AAA',
    score: 92.5,
    scenarioId: 'sc-contact',
    scenarioName: 'Contact: name and e-mail',
    dismissed: false,
    fields: [
      { field: 'FirstName', method: 'name-variant', weight: 10, score: 95, reason: 'name variant: Bill = William' },
      { field: 'LastName', method: 'jaro-winkler', weight: 20, score: 100, reason: 'same' },
      { field: 'Phone', method: 'phone', weight: 10, score: null, reason: 'blank on one side' },
    ],
    ...overrides,
  };
}

export function sampleGroup(overrides: Partial<DcGroup> = {}): DcGroup {
  return {
    id: 'group-1',
    score: 92.5,
    records: [
      {
        id: '003000000000001AAA',
        object: 'Contact',
        name: 'William Gates',
        values: { FirstName: 'William', LastName: 'Gates', Phone: '+1 555 0100' },
      },
      {
        id: '003000000000002AAA',
        object: 'Contact',
        name: 'Bill Gates',
        values: { FirstName: 'Bill', LastName: 'Gates', Phone: null },
      },
    ],
    pairs: [samplePair()],
    ...overrides,
  };
}

export function sampleGroupList(overrides: Partial<DcGroupList> = {}): DcGroupList {
  return { runId: 'run-dc', summary: sampleSummary(), groups: [sampleGroup()], nextCursor: null, ...overrides };
}

export function sampleScenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    id: 'sc-contact',
    name: 'Contact: name and e-mail',
    object: 'Contact',
    rules: [
      { field: 'FirstName', method: 'name-variant', weight: 10 },
      { field: 'LastName', method: 'jaro-winkler', weight: 20 },
      { field: 'Email', method: 'email', weight: 30 },
    ],
    threshold: 75,
    builtIn: true,
    createdAt: null,
    ...overrides,
  };
}
