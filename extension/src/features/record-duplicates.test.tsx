// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrgBadge } from './org-badge-view.tsx';
import { isSalesforceId, type RecordMatch, recordPageOf, recordPageUrl } from './record-duplicates-status.ts';

const page = new URL('https://acme.lightning.force.com/lightning/r/Contact/003000000000001AAA/view');

function match(overrides: Partial<RecordMatch> = {}): RecordMatch {
  return {
    pairId: 'pair-1',
    recordId: '003000000000002AAA',
    object: 'Contact',
    name: 'Bill Gates',
    score: 92.5,
    reasons: ['name variant: Bill = William', 'same e-mail', 'same last name', 'same city'],
    ...overrides,
  };
}

describe('record pages', () => {
  it('reads the record of a Lightning record page, and nothing else', () => {
    expect(recordPageOf(page)).toEqual({ object: 'Contact', recordId: '003000000000001AAA' });
    expect(recordPageOf(new URL('https://a.lightning.force.com/lightning/r/003000000000001/view'))).toEqual({
      object: undefined,
      recordId: '003000000000001',
    });
    expect(recordPageOf(new URL('https://a.lightning.force.com/lightning/o/Contact/list'))).toBeUndefined();
    expect(recordPageOf(new URL('https://a.lightning.force.com/lightning/r/Contact/short/view'))).toBeUndefined();
    expect(isSalesforceId('003000000000001AAA')).toBe(true);
    expect(isSalesforceId('003000000000001AA')).toBe(false);
  });

  it('links a match on the same host, and never to a crafted id', () => {
    expect(recordPageUrl(page, 'Contact', '003000000000002AAA')).toBe(
      'https://acme.lightning.force.com/lightning/r/Contact/003000000000002AAA/view',
    );
    expect(recordPageUrl(page, 'Contact', 'javascript:alert(1)')).toBe(
      'https://acme.lightning.force.com/lightning/page/home',
    );
  });
});

describe('the badge on a record page', () => {
  let container: HTMLElement;
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
  });
  afterEach(() => {
    render(null, container);
    container.remove();
  });

  function show(matches: RecordMatch[], collapsed = false) {
    act(() =>
      render(
        <OrgBadge
          status={{
            state: 'connected',
            connection: { id: 'c-1', name: 'Acme', status: 'active', statusReason: null },
          }}
          onReauthorize={async () => ({ opened: true })}
          collapsed={collapsed}
          onCollapsedChange={() => undefined}
          duplicates={{ matches, pageUrl: page }}
        />,
        container,
      ),
    );
  }

  it('says "1 possible duplicate" and unfolds to the match, its score and top three reasons', () => {
    show([match({ name: '<img src=x onerror=alert(1)>' })]);
    const toggle = container.querySelector<HTMLElement>('[data-testid=orglink-duplicates-toggle]');
    expect(toggle?.textContent).toBe('1 possible duplicate ▸');
    expect(container.querySelector('[data-testid=orglink-duplicates-list]')).toBeNull();
    act(() => toggle?.click());
    const item = container.querySelector('[data-testid=orglink-duplicate]');
    expect(item?.textContent).toBe(
      '<img src=x onerror=alert(1)> 93%name variant: Bill = William; same e-mail; same last name',
    );
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector<HTMLAnchorElement>('[data-testid=orglink-duplicate-link]')?.href).toBe(
      'https://acme.lightning.force.com/lightning/r/Contact/003000000000002AAA/view',
    );
  });

  it('lists the best five by score and counts the rest', () => {
    show(
      Array.from({ length: 7 }, (_, index) =>
        match({ pairId: `p-${index}`, name: `Match ${index}`, score: 70 + index }),
      ),
    );
    act(() => container.querySelector<HTMLElement>('[data-testid=orglink-duplicates-toggle]')?.click());
    const names = [...container.querySelectorAll('[data-testid=orglink-duplicate-link]')].map((a) => a.textContent);
    expect(names).toEqual(['Match 6', 'Match 5', 'Match 4', 'Match 3', 'Match 2']);
    expect(container.textContent).toContain('and 2 more');
  });

  it('shows nothing about duplicates when there are none, and names them on the folded badge', () => {
    show([]);
    expect(container.querySelector('[data-testid=orglink-duplicates]')).toBeNull();
    show([match(), match({ pairId: 'p-2' })], true);
    expect(container.querySelector('[data-testid=orglink-badge-expand]')?.getAttribute('title')).toBe(
      'OrgLink: Connected (Acme); 2 possible duplicates',
    );
  });
});
