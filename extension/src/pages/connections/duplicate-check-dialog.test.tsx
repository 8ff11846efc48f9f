// @vitest-environment happy-dom
import type { CreateDcJobRequest } from '@orglink/shared';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ApiResult, failed, succeeded } from '../../api/api-result.ts';
import { sampleConnection, sampleJob } from '../../api/test-fixtures.ts';
import { onMessage } from '../../messaging.ts';
import { sampleDcRun, sampleScenario } from '../duplicates/dc-fixtures.ts';
import { DuplicateCheckDialog } from './duplicate-check-dialog.tsx';

let created: CreateDcJobRequest[];
let createAnswer: (request: CreateDcJobRequest) => ApiResult<unknown>;
beforeAll(() => {
  onMessage('listDcScenarios', ({ data }) =>
    succeeded({
      scenarios: [
        sampleScenario({ id: `${data}-builtin`, object: data }),
        sampleScenario({ id: `${data}-custom`, object: data, name: 'Mine', builtIn: false }),
      ],
    }),
  );
  onMessage('createDcJob', ({ data }) => {
    created.push(data);
    return createAnswer(data) as never;
  });
});

let container: HTMLElement;
beforeEach(() => {
  created = [];
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});

async function settle() {
  for (let i = 0; i < 5; i++) await act(async () => await new Promise((resolve) => setTimeout(resolve, 0)));
}

async function show() {
  const handlers = { onStarted: vi.fn(), onScheduled: vi.fn(), onClose: vi.fn(), onFailure: vi.fn() };
  act(() => render(<DuplicateCheckDialog connection={sampleConnection()} open {...handlers} />, container));
  await settle();
  return handlers;
}

const q = <T extends Element = HTMLElement>(testId: string) =>
  container.querySelector<T & HTMLElement>(`[data-testid=${testId}]`);
const ticked = () =>
  [...container.querySelectorAll<HTMLElement>('[data-testid=dc-scenario]')]
    .filter((row) => row.querySelector<HTMLInputElement>('input')?.checked)
    .map((row) => row.dataset.scenarioId);

describe('DuplicateCheckDialog', () => {
  it("ticks the object's built-in scenario, shows its rules, and runs now", async () => {
    const run = sampleDcRun({ id: 'run-new', status: 'queued' });
    createAnswer = () => succeeded({ job: sampleJob({ kind: 'duplicate-check' }), run });
    const handlers = await show();
    expect(ticked()).toEqual(['Contact-builtin']);
    expect(q('dc-scenario-rules')?.textContent).toContain('Name variant');
    act(() => q('dc-run-now')?.click());
    await settle();
    expect(created).toEqual([
      { connectionId: sampleConnection().id, object: 'Contact', scenarioIds: ['Contact-builtin'] },
    ]);
    expect(handlers.onStarted).toHaveBeenCalledWith(run);
  });

  it('reloads the scenarios for another object', async () => {
    await show();
    const select = q<HTMLSelectElement>('dc-object');
    act(() => {
      if (!select) return;
      select.value = 'Lead-Contact';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect(ticked()).toEqual(['Lead-Contact-builtin']);
  });

  it('saves a schedule, and puts a refused schedule under its field', async () => {
    createAnswer = () => failed(400, 'JOB_SCHEDULE_INVALID', 'Minute 61 does not exist: use 0-59.');
    const handlers = await show();
    act(() => q('dc-save-schedule')?.click());
    await settle();
    expect(created).toEqual([]);
    expect(container.querySelector('#dc-schedule-error')?.textContent).toMatch(/Type a schedule/);

    const input = q<HTMLInputElement>('dc-schedule');
    act(() => {
      if (!input) return;
      input.value = '61 2 * * *';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    act(() => q('dc-save-schedule')?.click());
    await settle();
    expect(created[0]?.schedule).toBe('61 2 * * *');
    expect(container.querySelector('#dc-schedule-error')?.textContent).toBe('Minute 61 does not exist: use 0-59.');
    expect(handlers.onScheduled).not.toHaveBeenCalled();

    const job = sampleJob({ kind: 'duplicate-check', schedule: '0 2 * * *' });
    createAnswer = () => succeeded({ job, run: null });
    act(() => {
      if (!input) return;
      input.value = '0 2 * * *';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    act(() => q('dc-save-schedule')?.click());
    await settle();
    expect(handlers.onScheduled).toHaveBeenCalledWith(job);
  });
});
