import { CreateIntegrationRequest, type TargetObject, UpdateIntegrationRequest } from '@orglink/shared';
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const HOST_NAME = /^(?=.{3,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const ID = /^[A-Za-z0-9_-]{1,100}$/;

/** A Catalog host name as the page or the admin gives it; a pasted URL is reduced to its host. */
export function parseCatalogHost(input: unknown): Checked<string> {
  if (typeof input !== 'string')
    return { ok: false, message: 'Give the Catalog host name, e.g. acme.catalog.instructure.com.' };
  let host = input.trim().toLowerCase();
  if (/^https?:\/\//.test(host) && URL.canParse(host)) host = new URL(host).hostname;
  host = host.replace(/\.$/, '');
  if (!HOST_NAME.test(host)) {
    return { ok: false, message: `"${input.trim()}" is not a host name. Give one like acme.catalog.instructure.com.` };
  }
  return { ok: true, value: host };
}

/** A Catalog API key as pasted: surrounding spaces go, inner ones mean a copy went wrong. */
export function parseCatalogToken(input: unknown): Checked<string> {
  const token = typeof input === 'string' ? input.trim() : '';
  if (token === '') {
    return { ok: false, message: 'Paste the Catalog API token (Catalog admin, Settings, API keys).' };
  }
  if (/\s/.test(token)) return { ok: false, message: 'The token has spaces in it: copy it again, in one piece.' };
  if (token.length < 8 || token.length > 512) {
    return { ok: false, message: 'That is not a Catalog API token: it should be 8 to 512 characters. Copy it again.' };
  }
  return { ok: true, value: token };
}

export function checkId(input: unknown, what: string): Checked<string> {
  if (typeof input === 'string' && ID.test(input)) return { ok: true, value: input };
  return { ok: false, message: `That is not ${what} id. Reload the page and try again.` };
}

export function checkTarget(input: unknown): Checked<TargetObject> {
  if (input === 'Contact' || input === 'Lead') return { ok: true, value: input };
  return { ok: false, message: 'Choose the CRM table: Contact or Lead.' };
}

/** A page's request to link an account, normalised, then checked against the contract before any call. */
export function checkCreateIntegration(input: unknown): Checked<CreateIntegrationRequest> {
  if (typeof input !== 'object' || input === null) return { ok: false, message: 'Fill in the link form first.' };
  const fields = input as Record<string, unknown>;
  const connection = checkId(fields.connectionId, 'a connection');
  if (!connection.ok) return { ok: false, message: 'Choose the connection to link this Catalog account to.' };
  const host = parseCatalogHost(fields.catalogHost);
  if (!host.ok) return host;
  const token = parseCatalogToken(fields.catalogToken);
  if (!token.ok) return token;
  const request = { ...fields, connectionId: connection.value, catalogHost: host.value, catalogToken: token.value };
  return checkAgainst(CreateIntegrationRequest, request);
}

export function checkUpdateIntegration(input: unknown): Checked<UpdateIntegrationRequest> {
  return checkAgainst(UpdateIntegrationRequest, input);
}

function checkAgainst<S extends TSchema>(schema: S, value: unknown): Checked<Static<S>> {
  if (Value.Check(schema, value)) return { ok: true, value };
  const first = [...Value.Errors(schema, value)][0];
  const where = first?.instancePath ? ` (${first.instancePath})` : '';
  return {
    ok: false,
    message: `The extension could not send this${where}: ${first?.message ?? 'it does not have the expected shape'}. Reload the page and try again.`,
  };
}
