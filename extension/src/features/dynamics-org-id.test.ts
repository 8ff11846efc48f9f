// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { readDynamicsOrgId } from './dynamics-org-id.ts';
import { normaliseDynamicsOrgId } from './org-badge-status.ts';
import { XRM_ORG_ID_EVENT_ATTRIBUTE } from './xrm-org-id-protocol.ts';

const ORG = '7d0e3a52-5c1b-4c59-9a57-1f0c2b6e9d10';

/**
 * Stands in for the page: when the content script adds the helper's script tag, answer as the main-world helper
 * would (or fail to load, as a blocked script does).
 */
function pageAnswers(answer: (eventName: string) => void) {
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof HTMLScriptElement)) continue;
        const eventName = node.getAttribute(XRM_ORG_ID_EVENT_ATTRIBUTE);
        if (eventName) setTimeout(() => answer(eventName), 0);
      }
    }
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  return observer;
}

interface HappyDomWindow {
  happyDOM: { settings: { handleDisabledFileLoadingAsSuccess: boolean } };
}

let observer: MutationObserver | undefined;
beforeEach(() => {
  document.body.innerHTML = '<div id="ApplicationShell"></div>';
  // injectScript asks which manifest version it runs under; the fake browser leaves that to the test.
  // The helper's script tag "loads" as in a browser; happy-dom runs no script files, so the test answers for it.
  (window as unknown as HappyDomWindow).happyDOM.settings.handleDisabledFileLoadingAsSuccess = true;
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({ manifest_version: 3 } as Browser.runtime.Manifest);
});
afterEach(() => {
  observer?.disconnect();
  vi.restoreAllMocks();
});

describe('readDynamicsOrgId', () => {
  it("takes the organization id Xrm gives in the page's own world", async () => {
    observer = pageAnswers((eventName) =>
      document.dispatchEvent(new CustomEvent(eventName, { detail: `{${ORG.toUpperCase()}}` })),
    );
    expect(await readDynamicsOrgId(new AbortController().signal)).toBe(ORG);
  });

  it("falls back to the app header's data-org-id when Xrm has no answer", async () => {
    document.body.innerHTML = `<div id="ApplicationShell"><span data-id="orgName" data-org-id="${ORG}">Contoso</span></div>`;
    observer = pageAnswers((eventName) => document.dispatchEvent(new CustomEvent(eventName, { detail: '' })));
    expect(await readDynamicsOrgId(new AbortController().signal)).toBe(ORG);
  });

  it('ignores answers to other requests and answers that are not GUIDs', async () => {
    observer = pageAnswers((eventName) => {
      document.dispatchEvent(new CustomEvent('orglink:xrm-org-id:someone-else', { detail: ORG }));
      document.dispatchEvent(new CustomEvent(eventName, { detail: '<script>' }));
    });
    expect(await readDynamicsOrgId(new AbortController().signal)).toBeUndefined();
  });

  it('stops waiting when the run is aborted', async () => {
    const controller = new AbortController();
    const reading = readDynamicsOrgId(controller.signal);
    controller.abort();
    expect(await reading).toBeUndefined();
  });
});

describe('normaliseDynamicsOrgId', () => {
  it('accepts the forms Dataverse writes and refuses the rest', () => {
    expect(normaliseDynamicsOrgId(ORG)).toBe(ORG);
    expect(normaliseDynamicsOrgId(` {${ORG.toUpperCase()}} `)).toBe(ORG);
    expect(normaliseDynamicsOrgId(`${ORG}x`)).toBeUndefined();
    expect(normaliseDynamicsOrgId('00D5e000000Acme')).toBeUndefined();
    expect(normaliseDynamicsOrgId(42)).toBeUndefined();
  });
});
