import type { ContentScriptContext } from 'wxt/utils/content-script-context';

/**
 * Runs in-page features the refined-github way: each feature says where it runs (a URL check and a DOM marker) and
 * mounts with an AbortSignal. Single-page apps such as Lightning change the URL without loading a page, so on every
 * location change the previous run is aborted (its UI and listeners go with its signal) and the features run again:
 * one instance at a time, never a duplicate.
 */

export interface PageFeature<C> {
  /** Names the feature in error reports. */
  name: string;
  /** Gate 1 in code: the manifest's match patterns let the script in; this says whether this URL is one to act on. */
  include: (url: URL) => boolean;
  /** Gate 2: a CSS selector that appears once the host app has loaded; the feature stays inert until it does. */
  awaitMarker?: string;
  /** Mounts the feature; everything it adds to the page must go away when `signal` aborts. */
  init: (signal: AbortSignal, context: C) => void | Promise<void>;
}

/** What the runner needs from the content script: its lifetime, its URL and location changes (WXT's ctx). */
export interface FeatureHost {
  /** Aborted when the content script is invalidated (extension updated or reloaded). */
  signal: AbortSignal;
  currentUrl: () => URL;
  onLocationChange: (listener: () => void) => void;
}

/** The runner's view of WXT's content-script context: 'wxt:locationchange' covers pushState and back/forward. */
export function featureHostFor(ctx: ContentScriptContext): FeatureHost {
  return {
    signal: ctx.signal,
    currentUrl: () => new URL(location.href),
    onLocationChange: (listener) => ctx.addEventListener(window, 'wxt:locationchange', listener),
  };
}

/** How long a feature waits for its marker before giving up: pages that are not the host app never show it. */
export const MARKER_TIMEOUT_MS = 30_000;

export function runFeatures<C>(host: FeatureHost, context: C, features: PageFeature<C>[]): void {
  let current: AbortController | undefined;
  const runAll = () => {
    current?.abort();
    if (host.signal.aborted) return;
    const run = new AbortController();
    current = run;
    const signal = AbortSignal.any([host.signal, run.signal]);
    const url = host.currentUrl();
    for (const feature of features) {
      if (safeInclude(feature, url)) void runOne(feature, signal, context);
    }
  };
  host.onLocationChange(runAll);
  host.signal.addEventListener('abort', () => current?.abort(), { once: true });
  runAll();
}

function safeInclude<C>(feature: PageFeature<C>, url: URL): boolean {
  try {
    return feature.include(url);
  } catch (error) {
    report(feature, error);
    return false;
  }
}

/** A feature's failure stays in the extension: it is reported and the host page carries on untouched. */
async function runOne<C>(feature: PageFeature<C>, signal: AbortSignal, context: C): Promise<void> {
  try {
    if (feature.awaitMarker) {
      const marker = await waitForElement(feature.awaitMarker, signal, MARKER_TIMEOUT_MS);
      if (!marker) return;
    }
    if (signal.aborted) return;
    await feature.init(signal, context);
  } catch (error) {
    if (!signal.aborted) report(feature, error);
  }
}

function report<C>(feature: PageFeature<C>, error: unknown) {
  console.error(`OrgLink: the ${feature.name} feature failed and stays off on this page.`, error);
}

/**
 * Resolves with the first element matching `selector`, as soon as it is in the document; with undefined when the
 * signal aborts or the time runs out. Watches the DOM with one MutationObserver, disconnected either way.
 */
export function waitForElement(selector: string, signal: AbortSignal, timeoutMs: number): Promise<Element | undefined> {
  const present = document.querySelector(selector);
  if (present || signal.aborted) return Promise.resolve(present ?? undefined);
  return new Promise((resolve) => {
    const finish = (element: Element | undefined) => {
      observer.disconnect();
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(element);
    };
    const onAbort = () => finish(undefined);
    const observer = new MutationObserver(() => {
      const found = document.querySelector(selector);
      if (found) finish(found);
    });
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    // Attributes too: Lightning adds body's "desktop" class to an element that is already there.
    observer.observe(document.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['class', 'id', 'data-aura-class'],
    });
  });
}
