// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FeatureHost, type PageFeature, runFeatures, waitForElement } from './feature-runner.ts';

/** A content script's context reduced to what the runner uses, with navigation driven by the test. */
function fakeHost(startUrl: string) {
  const lifetime = new AbortController();
  const navigation = new EventTarget();
  let url = new URL(startUrl);
  const host: FeatureHost = {
    signal: lifetime.signal,
    currentUrl: () => url,
    onLocationChange: (listener) =>
      navigation.addEventListener('wxt:locationchange', listener, { signal: lifetime.signal }),
  };
  return {
    host,
    navigate(to: string) {
      url = new URL(to, url);
      navigation.dispatchEvent(new Event('wxt:locationchange'));
    },
    invalidate: () => lifetime.abort(),
  };
}

/** A feature that adds one marked element per run and removes it when its run is aborted. */
function countingFeature(overrides: Partial<PageFeature<string>> = {}) {
  const runs: { context: string; signal: AbortSignal }[] = [];
  const feature: PageFeature<string> = {
    name: 'test badge',
    include: (url) => url.pathname.startsWith('/lightning/'),
    init: (signal, context) => {
      runs.push({ context, signal });
      const element = document.createElement('orglink-test-badge');
      document.body.append(element);
      signal.addEventListener('abort', () => element.remove());
    },
    ...overrides,
  };
  return { feature, runs, mounted: () => document.querySelectorAll('orglink-test-badge').length };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  document.body.className = 'desktop';
  document.body.innerHTML = '<div class="oneOne"></div>';
});
afterEach(() => vi.restoreAllMocks());

describe('runFeatures', () => {
  it('runs a feature whose URL check passes, with the context it was given', async () => {
    const { host } = fakeHost('https://acme.lightning.force.com/lightning/page/home');
    const { feature, runs, mounted } = countingFeature();
    runFeatures(host, 'ctx', [feature]);
    await settle();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.context).toBe('ctx');
    expect(mounted()).toBe(1);
  });

  it('leaves the page untouched where the URL check fails', async () => {
    const { host } = fakeHost('https://acme.my.salesforce.com/secur/logout.jsp');
    const { feature, mounted } = countingFeature();
    runFeatures(host, 'ctx', [feature]);
    await settle();
    expect(mounted()).toBe(0);
  });

  it('re-runs on every single-page navigation and keeps exactly one instance', async () => {
    const { host, navigate } = fakeHost('https://acme.lightning.force.com/lightning/page/home');
    const { feature, runs, mounted } = countingFeature();
    runFeatures(host, 'ctx', [feature]);
    await settle();
    navigate('/lightning/o/Contact/list');
    await settle();
    navigate('/lightning/r/Contact/003000000000001AAA/view');
    await settle();
    expect(runs).toHaveLength(3);
    expect(runs.map((run) => run.signal.aborted)).toEqual([true, true, false]);
    expect(mounted()).toBe(1);
  });

  it('removes the feature when navigation leaves the pages it runs on', async () => {
    const { host, navigate } = fakeHost('https://acme.lightning.force.com/lightning/page/home');
    const { feature, mounted } = countingFeature();
    runFeatures(host, 'ctx', [feature]);
    await settle();
    navigate('/one/one.app');
    await settle();
    expect(mounted()).toBe(0);
  });

  it('waits for the DOM marker before running, and never runs a navigation that was left meanwhile', async () => {
    document.body.innerHTML = '';
    const { host, navigate } = fakeHost('https://acme.lightning.force.com/lightning/page/home');
    const { feature, runs, mounted } = countingFeature({ awaitMarker: 'body.desktop .oneOne' });
    runFeatures(host, 'ctx', [feature]);
    await settle();
    expect(runs).toHaveLength(0);
    navigate('/lightning/o/Lead/list');
    document.body.innerHTML = '<div class="oneOne"></div>';
    await settle();
    // The first run was aborted while it waited; only the run of the page now shown mounted anything.
    expect(runs).toHaveLength(1);
    expect(runs[0]?.signal.aborted).toBe(false);
    expect(mounted()).toBe(1);
  });

  it('stops for good when the content script is invalidated', async () => {
    const { host, navigate, invalidate } = fakeHost('https://acme.lightning.force.com/lightning/page/home');
    const { feature, runs, mounted } = countingFeature();
    runFeatures(host, 'ctx', [feature]);
    await settle();
    invalidate();
    expect(mounted()).toBe(0);
    navigate('/lightning/o/Contact/list');
    await settle();
    expect(runs).toHaveLength(1);
  });

  it('keeps a failing feature from reaching the page or the other features', async () => {
    const report = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { host } = fakeHost('https://acme.lightning.force.com/lightning/page/home');
    const broken = countingFeature({
      name: 'broken',
      init: async () => {
        throw new Error('boom');
      },
    });
    const throwsInCheck = countingFeature({
      name: 'bad check',
      include: () => {
        throw new Error('bad');
      },
    });
    const healthy = countingFeature();
    expect(() => runFeatures(host, 'ctx', [broken.feature, throwsInCheck.feature, healthy.feature])).not.toThrow();
    await settle();
    expect(healthy.mounted()).toBe(1);
    expect(report.mock.calls.map((call) => String(call[0])).sort()).toEqual([
      'OrgLink: the bad check feature failed and stays off on this page.',
      'OrgLink: the broken feature failed and stays off on this page.',
    ]);
  });
});

describe('waitForElement', () => {
  it('answers at once when the element is there, and when it appears later', async () => {
    const signal = new AbortController().signal;
    expect(await waitForElement('.oneOne', signal, 1000)).toBe(document.querySelector('.oneOne'));
    const later = waitForElement('#late', signal, 1000);
    document.body.insertAdjacentHTML('beforeend', '<p id="late"></p>');
    expect(await later).toBe(document.querySelector('#late'));
  });

  it('sees a class added to an element that is already there', async () => {
    document.body.className = '';
    const found = waitForElement('body.desktop .oneOne', new AbortController().signal, 1000);
    document.body.className = 'desktop';
    expect(await found).toBe(document.querySelector('.oneOne'));
  });

  it('gives up when the time runs out or the signal aborts', async () => {
    expect(await waitForElement('#never', new AbortController().signal, 20)).toBeUndefined();
    const controller = new AbortController();
    const waiting = waitForElement('#never', controller.signal, 10_000);
    controller.abort();
    expect(await waiting).toBeUndefined();
  });
});
