// @vitest-environment happy-dom
import type { JobRun } from '@orglink/shared';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiResult, failed, succeeded } from '../../api/api-result.ts';
import { sampleMe } from '../../api/test-fixtures.ts';
import { onMessage } from '../../messaging.ts';
import { sampleDcRun, sampleGroup, sampleGroupList } from './dc-fixtures.ts';
import { DuplicatesResults } from './duplicates-results.tsx';

// The page talks to a stand-in background registered on WXT's fake runtime, as the real one answers.
let runAnswer: () => ApiResult<JobRun>;
let groupPages: Record<string, () => ReturnType<typeof succeeded>>;
let asked: string[];
beforeAll(() => {
  onMessage('getRun', () => runAnswer());
  onMessage('getDcGroups', ({ data }) => {
    asked.push(data.cursor ?? 'first');
    return (groupPages[data.cursor ?? 'first']?.() ?? failed(500, 'X', 'no page')) as never;
  });
});

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  asked = [];
  groupPages = {};
});
afterEach(() => {
  render(null, container);
  container.remove();
});

async function settle() {
  for (let i = 0; i < 6; i++) await act(async () => await new Promise((resolve) => setTimeout(resolve, 0)));
}

async function show(runId: string | undefined) {
  act(() => render(<DuplicatesResults runId={runId} me={sampleMe} onSignedOut={() => undefined} />, container));
  await settle();
}

const text = (testId: string) => container.querySelector(`[data-testid=${testId}]`)?.textContent;

describe('DuplicatesResults', () => {
  it('shows what the run read and scored, then its groups, and loads more', async () => {
    runAnswer = () => succeeded(sampleDcRun());
    groupPages.first = () => succeeded(sampleGroupList({ nextCursor: '20' }));
    groupPages['20'] = () => succeeded(sampleGroupList({ groups: [sampleGroup({ id: 'group-2', score: 80 })] }));
    await show('run-dc');
    expect(text('dc-connection')).toBe('Acme Production');
    expect(text('dc-object')).toBe('Contacts');
    expect(text('dc-records-read')).toBe('1,200');
    expect(text('dc-pairs-scored')).toBe('5,400 of 719,400 possible (0.75%)');
    expect(text('dc-groups-found')).toBe('2');
    expect(text('dc-scenarios')).toBe('Contact: name and e-mail (from 75%)');
    expect(container.querySelectorAll('[data-testid=dc-group]')).toHaveLength(1);
    act(() => container.querySelector<HTMLElement>('[data-testid=dc-load-more]')?.click());
    await settle();
    expect(asked).toEqual(['first', '20']);
    expect(
      [...container.querySelectorAll('[data-testid=dc-group]')].map((g) => g.getAttribute('data-group-id')),
    ).toEqual(['group-1', 'group-2']);
    expect(container.querySelector('[data-testid=dc-load-more]')).toBeNull();
  });

  it('says no duplicates were found among the records read', async () => {
    runAnswer = () => succeeded(sampleDcRun());
    groupPages.first = () => succeeded(sampleGroupList({ groups: [] }));
    await show('run-dc');
    expect(text('dc-empty')).toContain('No duplicates found among 1,200 records');
  });

  it('shows progress and asks for no groups while the run is going', async () => {
    runAnswer = () =>
      succeeded(
        sampleDcRun({
          status: 'running',
          duplicates: null,
          finishedAt: null,
          counts: { total: 1200, processed: 300, created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 },
        }),
      );
    await show('run-dc');
    expect(text('run-progress-text')).toContain('300 / 1,200 records');
    expect(asked).toEqual([]);
  });

  it('shows why a run failed, and the API refusal when the run cannot be read', async () => {
    runAnswer = () => succeeded(sampleDcRun({ status: 'failed', errorMessage: 'The org refused the query.' }));
    await show('run-dc');
    expect(text('dc-run-error-message')).toBe('The org refused the query.');
    expect(container.querySelector('[data-testid=dc-export-csv]')).toBeNull();

    runAnswer = () => failed(404, 'RUN_NOT_FOUND', 'No such run in your team.');
    await show('run-gone');
    expect(text('dc-run-error')).toContain('No such run in your team.');
  });

  it('refuses a run of another kind and a page opened without a run', async () => {
    runAnswer = () => succeeded(sampleDcRun({ kind: 'activity', title: 'Query Contact' }));
    await show('run-dc');
    expect(text('dc-wrong-kind')).toContain('Query Contact');
    await show(undefined);
    expect(text('dc-no-run')).toContain('Open this page');
  });

  it('offers Start on a held run', async () => {
    runAnswer = () =>
      succeeded(
        sampleDcRun({
          status: 'holding',
          awaitingStart: true,
          duplicates: null,
          errorMessage: 'Waiting: auto-run is off for this connection.',
        }),
      );
    await show('run-dc');
    expect(text('dc-held')).toContain('auto-run is off');
    expect(container.querySelector('[data-testid=dc-start-run]')).not.toBeNull();
  });
});
