// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BadgeConnection, ReauthorizeResult, VisibleBadgeStatus } from './org-badge-status.ts';
import { OrgBadge } from './org-badge-view.tsx';

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});

function connection(overrides: Partial<BadgeConnection> = {}): VisibleBadgeStatus {
  return {
    state: 'connected',
    connection: { id: 'conn-1', name: 'Acme Production', status: 'active', statusReason: null, ...overrides },
  };
}

function show(
  status: VisibleBadgeStatus,
  onReauthorize: (id: string) => Promise<ReauthorizeResult> = async () => ({ opened: true }),
  collapsed = false,
  onCollapsedChange: (collapsed: boolean) => void = () => undefined,
) {
  act(() => {
    render(
      <OrgBadge
        status={status}
        onReauthorize={onReauthorize}
        collapsed={collapsed}
        onCollapsedChange={onCollapsedChange}
      />,
      container,
    );
  });
}

const text = () => container.querySelector('[data-testid=orglink-badge-text]')?.textContent;
const reauthorizeButton = () => container.querySelector<HTMLButtonElement>('[data-testid=orglink-badge-reauthorize]');
const note = () => container.querySelector('[data-testid=orglink-badge-note]')?.textContent;

describe('OrgBadge', () => {
  it('says Connected with the connection name for an active connection', () => {
    show(connection());
    expect(text()).toBe('OrgLink: Connected (Acme Production)');
    expect(container.querySelector('.ol-badge')?.className).toContain('ol-badge--ok');
    expect(reauthorizeButton()).toBeNull();
  });

  it('says Paused for a paused connection', () => {
    show(connection({ status: 'paused' }));
    expect(text()).toBe('OrgLink: Paused (Acme Production)');
    expect(container.querySelector('[data-testid=orglink-badge]')?.getAttribute('data-state')).toBe('paused');
    expect(reauthorizeButton()).toBeNull();
  });

  it('says Connection inactive with the reason and offers Re-authorize', () => {
    show(connection({ status: 'inactive', statusReason: 'the refresh token was revoked' }));
    expect(text()).toBe('OrgLink: Connection inactive: the refresh token was revoked');
    expect(container.querySelector('.ol-badge')?.className).toContain('ol-badge--error');
    expect(reauthorizeButton()?.textContent).toBe('Re-authorize');
  });

  it('names the connection when an inactive one has no reason', () => {
    show(connection({ status: 'inactive' }));
    expect(text()).toBe('OrgLink: Connection inactive (Acme Production)');
  });

  it('offers to finish the sign-in of a pending connection', () => {
    show(connection({ status: 'pending' }));
    expect(text()).toBe('OrgLink: Waiting for sign-in (Acme Production)');
    expect(reauthorizeButton()).not.toBeNull();
  });

  it('says Not connected to your team for an org the team has not connected', () => {
    show({ state: 'not-connected' });
    expect(text()).toBe('OrgLink: Not connected to your team');
    expect(container.querySelector('[data-testid=orglink-badge]')?.getAttribute('data-state')).toBe('not-connected');
    expect(reauthorizeButton()).toBeNull();
  });

  it('renders names and reasons from the server as text, never as HTML', () => {
    show(connection({ status: 'inactive', name: '<img src=x onerror=alert(1)>', statusReason: '<b>revoked</b>' }));
    expect(text()).toBe('OrgLink: Connection inactive: <b>revoked</b>');
    expect(container.querySelector('img, b')).toBeNull();
  });

  it('re-authorizes the connection and says where to go on', async () => {
    let finish: (result: ReauthorizeResult) => void = () => undefined;
    const onReauthorize = vi.fn((_id: string) => new Promise<ReauthorizeResult>((resolve) => (finish = resolve)));
    show(connection({ status: 'inactive', statusReason: 'expired' }), onReauthorize);
    act(() => reauthorizeButton()?.click());
    expect(onReauthorize).toHaveBeenCalledWith('conn-1');
    expect(reauthorizeButton()?.disabled).toBe(true);
    expect(reauthorizeButton()?.textContent).toBe('Opening sign-in…');
    await act(async () => finish({ opened: true }));
    expect(reauthorizeButton()?.disabled).toBe(false);
    expect(note()).toBe('Finish the sign-in in the window that opened.');
  });

  it("shows why re-authorizing did not start, in the server's words", async () => {
    const onReauthorize = async () => ({
      opened: false as const,
      message: 'Your role (viewer) can view but not do this; it needs an admin or owner.',
    });
    show(connection({ status: 'inactive', statusReason: 'expired' }), onReauthorize);
    await act(async () => reauthorizeButton()?.click());
    expect(note()).toBe('Your role (viewer) can view but not do this; it needs an admin or owner.');
    expect(container.querySelector('[role=alert]')).not.toBeNull();
  });

  it('folds to a dot that keeps the status in its label, and unfolds again', () => {
    const onCollapsedChange = vi.fn();
    show(connection(), undefined, false, onCollapsedChange);
    act(() => container.querySelector<HTMLButtonElement>('.ol-badge__collapse')?.click());
    expect(onCollapsedChange).toHaveBeenLastCalledWith(true);

    show(connection(), undefined, true, onCollapsedChange);
    expect(text()).toBeUndefined();
    const expand = container.querySelector<HTMLButtonElement>('[data-testid=orglink-badge-expand]');
    expect(expand?.getAttribute('aria-label')).toBe('Show the OrgLink badge: OrgLink: Connected (Acme Production)');
    act(() => expand?.click());
    expect(onCollapsedChange).toHaveBeenLastCalledWith(false);
  });
});
