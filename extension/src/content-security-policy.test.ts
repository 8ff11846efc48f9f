import { describe, expect, it } from 'vitest';
import { EXTENSION_PAGES_CSP } from '../wxt.config.ts';

// The policy the manifest gives every extension page (popup, settings, connections, activities, duplicates) and the
// service worker. test/e2e/hostile-values.test.ts checks the same in the built manifest and in Chromium.

/** Directive name -> its sources, as a browser reads the policy. */
function directives(policy: string): Map<string, string[]> {
  const parsed = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) parsed.set(name.toLowerCase(), sources);
  }
  return parsed;
}

describe('extension pages content security policy', () => {
  const policy = directives(EXTENSION_PAGES_CSP);

  it('runs only the extension’s own script files: no inline script, no eval, no remote host', () => {
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(EXTENSION_PAGES_CSP).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|https?:|\*/);
  });

  it('allows no plugins, no <base> rewriting, no form posts and no framing', () => {
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('leaves connect-src open, since the background calls the API at the address set in Settings', () => {
    expect(policy.has('default-src')).toBe(false);
    expect(policy.has('connect-src')).toBe(false);
  });
});
