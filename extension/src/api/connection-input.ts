import {
  CONNECTION_NAME_FORBIDDEN,
  CreateClassicConnectionRequest,
  CreateConnectionRequest,
  DynamicsCloud,
  SalesforceEnvironment,
  TestClassicLoginRequest,
  UpdateClassicLoginRequest,
  UpdateConnectionRequest,
} from '@orglink/shared';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { Checked } from './invite-input.ts';

export const CONNECTION_NAME_MAX = 80;
export const DESCRIPTION_MAX = 1000;

export function parseConnectionName(input: string): Checked<string> {
  const name = input.trim();
  if (!name) return { ok: false, message: 'Give the connection a name, for example "Acme Production".' };
  if (CONNECTION_NAME_FORBIDDEN.test(name)) {
    return {
      ok: false,
      message: 'A connection name must not contain / or : (names appear in URLs and job history). Remove them.',
    };
  }
  if (name.length > CONNECTION_NAME_MAX) {
    return {
      ok: false,
      message: `Keep the name to ${CONNECTION_NAME_MAX} characters or fewer (this one has ${name.length}).`,
    };
  }
  return { ok: true, value: name };
}

export function parseDescription(input: string): Checked<string> {
  const description = input.trim();
  if (description.length > DESCRIPTION_MAX) {
    return {
      ok: false,
      message: `Keep the description to ${DESCRIPTION_MAX} characters or fewer (this one has ${description.length}).`,
    };
  }
  return { ok: true, value: description };
}

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+(?::\d{1,5})?$/;

/**
 * The optional My Domain login host of a Salesforce connection. Admins paste it with or without https:// and a
 * trailing slash, so both are taken off; anything else beyond a host name is refused with an example.
 */
export function parseLoginHost(input: string): Checked<string | undefined> {
  let host = input.trim().toLowerCase();
  if (!host) return { ok: true, value: undefined };
  host = host.replace(/^https:\/\//, '').replace(/\/+$/, '');
  if (!HOST_NAME.test(host)) {
    return {
      ok: false,
      message:
        'Enter only the My Domain host name, such as acme--uat.sandbox.my.salesforce.com, or leave it empty to sign in at test.salesforce.com.',
    };
  }
  return { ok: true, value: host };
}

/** The background's own check of a create request a page sent: it never trusts what a page says. */
export function checkCreateConnectionRequest(input: unknown): Checked<CreateConnectionRequest> {
  if (!Value.Check(CreateConnectionRequest, input)) {
    return { ok: false, message: describeFirstProblem(CreateConnectionRequest, input) };
  }
  const name = parseConnectionName(input.name);
  if (!name.ok) return name;
  const environmentFits =
    input.kind === 'salesforce'
      ? Value.Check(SalesforceEnvironment, input.environment)
      : Value.Check(DynamicsCloud, input.environment);
  if (!environmentFits) {
    return {
      ok: false,
      message:
        input.kind === 'salesforce'
          ? 'A Salesforce connection is to a Production or a Sandbox org.'
          : 'Choose the Dynamics 365 environment type: Public Cloud (Default), GCC, GCC High, DoD or China.',
    };
  }
  let loginHost: string | undefined;
  if (input.loginHost !== undefined) {
    if (input.kind !== 'salesforce') return { ok: false, message: 'Only Salesforce connections have a login host.' };
    const parsed = parseLoginHost(input.loginHost);
    if (!parsed.ok) return parsed;
    loginHost = parsed.value;
  }
  const request: CreateConnectionRequest = { name: name.value, kind: input.kind, environment: input.environment };
  if (input.description !== undefined) request.description = input.description.trim();
  if (loginHost !== undefined) request.loginHost = loginHost;
  return { ok: true, value: request };
}

export function checkUpdateConnectionRequest(input: unknown): Checked<UpdateConnectionRequest> {
  if (!Value.Check(UpdateConnectionRequest, input)) {
    return { ok: false, message: describeFirstProblem(UpdateConnectionRequest, input) };
  }
  if (input.name === undefined) return { ok: true, value: input };
  const name = parseConnectionName(input.name);
  return name.ok ? { ok: true, value: { ...input, name: name.value } } : name;
}

/** The background's check of a classic (password or client-credentials) connection a page sent. */
export function checkCreateClassicConnectionRequest(input: unknown): Checked<CreateClassicConnectionRequest> {
  if (!Value.Check(CreateClassicConnectionRequest, input)) {
    return { ok: false, message: describeFirstProblem(CreateClassicConnectionRequest, input) };
  }
  const name = parseConnectionName(input.name);
  return name.ok ? { ok: true, value: { ...input, name: name.value } } : name;
}

export function checkTestClassicLoginRequest(input: unknown): Checked<TestClassicLoginRequest> {
  if (!Value.Check(TestClassicLoginRequest, input)) {
    return { ok: false, message: describeFirstProblem(TestClassicLoginRequest, input) };
  }
  return { ok: true, value: input };
}

export function checkUpdateClassicLoginRequest(input: unknown): Checked<UpdateClassicLoginRequest> {
  if (!Value.Check(UpdateClassicLoginRequest, input)) {
    return { ok: false, message: describeFirstProblem(UpdateClassicLoginRequest, input) };
  }
  return { ok: true, value: input };
}

/** A connection id as it may appear in a URL path: what the server hands out, never a path of its own. */
export function checkConnectionId(input: unknown): Checked<string> {
  if (typeof input === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(input)) return { ok: true, value: input };
  return { ok: false, message: 'That is not a connection id. Reload the Connections page and choose it again.' };
}

function describeFirstProblem(schema: TSchema, input: unknown): string {
  const first = [...Value.Errors(schema, input)][0];
  const field = first?.instancePath.replace(/^\//, '') || 'details';
  return `The connection's ${field} ${first?.message ?? 'is not valid'}. Correct it and try again.`;
}
