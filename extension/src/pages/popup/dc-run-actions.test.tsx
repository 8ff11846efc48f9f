// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { failed } from '../../api/api-result.ts';
import { onMessage } from '../../messaging.ts';
import { RunRow } from '../../ui/run-row.tsx';
import { sampleDcRun, sampleSummary } from '../duplicates/dc-fixtures.ts';
import { DcRunActions, reviewLabel } from './dc-run-actions.tsx';

let started: string[];
beforeAll(() => {
  onMessage('startRun', ({ data }) => {
    started.push(data);
    return failed(409, 'RUN_ALREADY_ACTIVE', 'Someone started it already.');
  });
});

let container: HTMLElement;
beforeEach(() => {
  started = [];
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});

async function settle() {
  for (let i = 0; i < 4; i++) await act(async () => await new Promise((resolve) => setTimeout(resolve, 0)));
}

const held = sampleDcRun({ status: 'holding', awaitingStart: true, duplicates: null, errorMessage: null });

describe('Duplicate Check runs in the popup history', () => {
  it('links a finished run to its results page, saying how many groups it found', async () => {
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    vi.spyOn(window, 'close').mockImplementation(() => undefined);
    act(() =>
      render(
        <RunRow run={sampleDcRun()}>
          <DcRunActions run={sampleDcRun()} memberRole="admin" />
        </RunRow>,
        container,
      ),
    );
    const link = container.querySelector<HTMLAnchorElement>('[data-testid=dc-review]');
    expect(link?.textContent).toBe('Review 2 groups');
    expect(container.querySelector('[data-testid=run-counts]')?.textContent).toBe('Records read1,200Groups2');
    act(() => link?.click());
    await settle();
    expect(create).toHaveBeenCalledWith({ url: expect.stringMatching(/\/duplicates\.html\?run=run-dc$/) });
  });

  it('words the link by the groups found', () => {
    expect(reviewLabel({ duplicates: sampleSummary({ groups: 1 }) })).toBe('Review 1 group');
    expect(reviewLabel({ duplicates: sampleSummary({ groups: 0 }) })).toBe('No duplicates found: see details');
    expect(reviewLabel({ duplicates: null })).toBe('Review results');
  });

  it('offers Start on a held run, with the reason, and shows the refusal', async () => {
    act(() => render(<DcRunActions run={held} memberRole="admin" />, container));
    expect(container.querySelector('[data-testid=dc-held-reason]')?.textContent).toMatch(/Auto-run Duplicate Check/);
    act(() => container.querySelector<HTMLElement>('[data-testid=dc-start-run]')?.click());
    await settle();
    expect(started).toEqual(['run-dc']);
    expect(container.querySelector('[role=alert]')?.textContent).toBe('Someone started it already.');
  });

  it('tells a viewer why they cannot start it', async () => {
    act(() => render(<DcRunActions run={held} memberRole="viewer" />, container));
    act(() => container.querySelector<HTMLElement>('[data-testid=dc-start-run]')?.click());
    await settle();
    expect(started).toEqual([]);
    expect(container.textContent).toContain('Only a team owner or admin can start it.');
  });
});
