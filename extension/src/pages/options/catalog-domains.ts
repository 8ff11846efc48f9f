import { browser } from 'wxt/browser';
import { isCatalogPage } from '../../host-patterns.ts';

/** The Catalog content script as WXT builds it; registered again for each custom domain. */
export const CATALOG_CONTENT_SCRIPT = 'content-scripts/catalog.js';
const SCRIPT_ID_PREFIX = 'orglink-catalog-';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const HOST_NAME = /^(?=.{4,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * A custom Catalog domain as the admin types it: a host name (a pasted https URL is reduced to its host), not a
 * pattern, not an IP address, and not one of the hosted domains, which work without being added.
 */
export function parseCatalogDomain(input: string): Checked<string> {
  let text = input.trim().toLowerCase();
  if (text === '') return { ok: false, message: 'Type the domain your Catalog admin runs on, e.g. learn.example.edu.' };
  if (/^[a-z]+:\/\//.test(text)) {
    if (!text.startsWith('https://') || !URL.canParse(text)) {
      return { ok: false, message: 'Catalog runs on https: give the domain only, e.g. learn.example.edu.' };
    }
    text = new URL(text).hostname;
  }
  text = text.replace(/\/.*$/, '').replace(/\.$/, '');
  if (text.includes('*')) {
    return { ok: false, message: 'Give one exact domain, without *: OrgLink asks access only to what you name.' };
  }
  if (/^\d+(\.\d+){3}$/.test(text) || !HOST_NAME.test(text)) {
    return { ok: false, message: `"${input.trim()}" is not a domain name. Give one like learn.example.edu.` };
  }
  if (isCatalogPage(`https://${text}/`)) {
    return { ok: false, message: `${text} is a hosted Catalog domain: OrgLink already works there, nothing to add.` };
  }
  return { ok: true, value: text };
}

export function originPatternFor(domain: string): string {
  return `https://${domain}/*`;
}

export interface CustomDomain {
  domain: string;
  /** The admin granted the host permission (it can be withdrawn in the browser's extension settings). */
  granted: boolean;
}

/** The custom domains: one registered content script each, with whether its host permission is still granted. */
export async function listCustomDomains(): Promise<CustomDomain[]> {
  const scripts = await browser.scripting.getRegisteredContentScripts();
  const domains = scripts
    .filter((script) => script.id.startsWith(SCRIPT_ID_PREFIX))
    .map((script) => script.id.slice(SCRIPT_ID_PREFIX.length))
    .sort();
  return Promise.all(
    domains.map(async (domain) => ({
      domain,
      granted: await browser.permissions.contains({ origins: [originPatternFor(domain)] }),
    })),
  );
}

export type AddDomainResult = { added: true; domain: string } | { added: false; message: string };

/**
 * Asks for the domain's host permission (must run in the click's user gesture: call it first, await nothing
 * before), then registers the Catalog content script there; it persists across browser restarts.
 */
export async function addCustomDomain(input: string): Promise<AddDomainResult> {
  const parsed = parseCatalogDomain(input);
  if (!parsed.ok) return { added: false, message: parsed.message };
  const origin = originPatternFor(parsed.value);
  let granted: boolean;
  try {
    granted = await browser.permissions.request({ origins: [origin] });
  } catch (error) {
    return { added: false, message: `The browser refused to ask for access: ${errorText(error)}` };
  }
  if (!granted) {
    return {
      added: false,
      message: `OrgLink needs access to ${parsed.value} to show its widget there. Save again and choose Allow.`,
    };
  }
  const id = `${SCRIPT_ID_PREFIX}${parsed.value}`;
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (registered.length === 0) {
    await browser.scripting.registerContentScripts([
      { id, matches: [origin], js: [CATALOG_CONTENT_SCRIPT], runAt: 'document_idle', persistAcrossSessions: true },
    ]);
  }
  return { added: true, domain: parsed.value };
}

/** Unregisters the content script and gives the host permission back. */
export async function removeCustomDomain(domain: string): Promise<void> {
  const id = `${SCRIPT_ID_PREFIX}${domain}`;
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (registered.length > 0) await browser.scripting.unregisterContentScripts({ ids: [id] });
  await browser.permissions.remove({ origins: [originPatternFor(domain)] });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
