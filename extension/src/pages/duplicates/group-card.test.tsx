// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { failed, succeeded } from '../../api/api-result.ts';
import { sampleGroup, samplePair } from './dc-fixtures.ts';
import { GroupCard, type PairReview } from './group-card.tsx';

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});

async function settle() {
  for (let i = 0; i < 3; i++) await act(async () => await new Promise((resolve) => setTimeout(resolve, 0)));
}

function review(overrides: Partial<PairReview> = {}): PairReview {
  return {
    dismiss: vi.fn(async () => succeeded(samplePair({ dismissed: true }))),
    restore: vi.fn(async () => succeeded(samplePair({ dismissed: false }))),
    deniedReason: undefined,
    ...overrides,
  };
}

const all = (selector: string) => [...container.querySelectorAll<HTMLElement>(selector)];
const click = (testId: string) => act(() => container.querySelector<HTMLElement>(`[data-testid=${testId}]`)?.click());

describe('GroupCard', () => {
  it('shows the records side by side, one column per record and one row per compared field', () => {
    act(() => render(<GroupCard group={sampleGroup()} review={review()} />, container));
    expect(all('[data-testid=dc-record-header] .ol-table__name').map((cell) => cell.textContent)).toEqual([
      'William Gates',
      'Bill Gates',
    ]);
    const rows = all('[data-testid=dc-field-row]').map((row) =>
      [...row.querySelectorAll('th, td')].map((cell) => cell.textContent),
    );
    expect(rows).toEqual([
      ['FirstName', 'William', 'Bill'],
      ['LastName', 'Gates', 'Gates'],
      ['Phone', '+1 555 0100', '(blank)'],
    ]);
    expect(container.querySelector('[data-testid=dc-group-score]')?.textContent).toBe('92.5%');
  });

  it('explains the pair field by field, a blank field as not compared', () => {
    act(() => render(<GroupCard group={sampleGroup()} review={review()} />, container));
    const reasons = all('[data-testid=dc-reason]').map((row) => row.textContent);
    expect(reasons[0]).toContain('FirstName');
    expect(reasons[0]).toContain('Name variant');
    expect(reasons[0]).toContain('95%');
    expect(reasons[0]).toContain('name variant: Bill = William');
    expect(reasons[2]).toContain('not compared');
    expect(container.querySelector('[data-testid=dc-pair]')?.textContent).toContain('William Gates and Bill Gates');
  });

  it('dismisses a pair and undoes it', async () => {
    const actions = review();
    act(() => render(<GroupCard group={sampleGroup()} review={actions} />, container));
    click('dc-dismiss');
    await settle();
    expect(actions.dismiss).toHaveBeenCalledWith('pair-1');
    const pair = () => container.querySelector('[data-testid=dc-pair]');
    expect(pair()?.getAttribute('data-dismissed')).toBe('true');
    expect(pair()?.textContent).toContain('will not come back');
    click('dc-restore');
    await settle();
    expect(actions.restore).toHaveBeenCalledWith('pair-1');
    expect(pair()?.getAttribute('data-dismissed')).toBe('false');
  });

  it('keeps the pair and says why when the server refuses', async () => {
    const actions = review({ dismiss: vi.fn(async () => failed(404, 'DC_PAIR_NOT_FOUND', 'That pair is gone.')) });
    act(() => render(<GroupCard group={sampleGroup()} review={actions} />, container));
    click('dc-dismiss');
    await settle();
    expect(container.querySelector('[data-testid=dc-pair]')?.getAttribute('data-dismissed')).toBe('false');
    expect(container.querySelector('[data-testid=dc-pair-error]')?.textContent).toBe('That pair is gone.');
  });

  it('tells a viewer why they cannot dismiss, and dismisses nothing', async () => {
    const actions = review({ deniedReason: 'Viewers can review duplicates but not dismiss them.' });
    act(() => render(<GroupCard group={sampleGroup()} review={actions} />, container));
    click('dc-dismiss');
    await settle();
    expect(actions.dismiss).not.toHaveBeenCalled();
    expect(container.querySelector('[data-testid=dc-dismiss-denied]')?.textContent).toMatch(/Viewers/);
    expect(container.querySelector('[data-testid=dc-dismiss]')?.getAttribute('title')).toMatch(/Viewers/);
  });
});
