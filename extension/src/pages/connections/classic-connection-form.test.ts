import { describe, expect, it } from 'vitest';
import {
  buildCreateClassicRequest,
  buildTestRequest,
  buildUpdateClassicRequest,
  editLoginField,
  emptyClassicForm,
  formFromDetails,
  placeServerError,
  SANDBOX_HOST,
  toggleSandbox,
} from './classic-connection-form.ts';

const filled = {
  ...emptyClassicForm('password'),
  name: ' Acme classic ',
  username: ' integration@acme.com ',
  password: 'pw',
  securityToken: ' TOKEN ',
  dpaAccepted: true,
};

describe('classic login form', () => {
  it('names every missing field inline', () => {
    const built = buildCreateClassicRequest(emptyClassicForm('password'));
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(Object.keys(built.errors).sort()).toEqual(['dpaAccepted', 'name', 'password', 'securityToken', 'username']);
  });

  it('builds the request with trimmed values, and refuses / in the name', () => {
    expect(buildCreateClassicRequest(filled)).toEqual({
      ok: true,
      request: {
        authMethod: 'password',
        name: 'Acme classic',
        loginHost: 'https://login.salesforce.com',
        sandbox: false,
        username: 'integration@acme.com',
        password: 'pw',
        securityToken: 'TOKEN',
        dpaAccepted: true,
      },
    });
    expect(buildCreateClassicRequest({ ...filled, name: 'a/b' })).toMatchObject({
      ok: false,
      errors: { name: expect.any(String) },
    });
  });

  it('Sandbox switches the generic host but keeps a typed My Domain', () => {
    expect(toggleSandbox(filled, true).serverHost).toBe(SANDBOX_HOST);
    expect(toggleSandbox(toggleSandbox(filled, true), false).serverHost).toBe('https://login.salesforce.com');
    const myDomain = { ...filled, serverHost: 'https://acme--uat.sandbox.my.salesforce.com' };
    expect(toggleSandbox(myDomain, true).serverHost).toBe(myDomain.serverHost);
    expect(buildTestRequest({ ...filled, sandbox: true })).toMatchObject({
      ok: false,
      errors: { serverHost: expect.any(String) },
    });
    expect(buildTestRequest({ ...filled, serverHost: 'http://acme.my.salesforce.com' })).toMatchObject({ ok: false });
  });

  it('client credentials need a My Domain', () => {
    const form = {
      ...emptyClassicForm('client-credentials'),
      myDomain: 'https://login.salesforce.com',
      consumerKey: 'k',
      consumerSecret: 's',
    };
    expect(buildTestRequest(form)).toMatchObject({
      ok: false,
      errors: { myDomain: expect.stringContaining('My Domain') },
    });
    expect(buildTestRequest({ ...form, myDomain: 'acme.my.salesforce.com' })).toEqual({
      ok: true,
      request: {
        authMethod: 'client-credentials',
        myDomain: 'https://acme.my.salesforce.com',
        consumerKey: 'k',
        consumerSecret: 's',
      },
    });
  });
});

describe('edit form', () => {
  const original = formFromDetails({
    authMethod: 'password',
    serverHost: 'https://login.salesforce.com',
    sandbox: false,
    username: 'integration@acme.com',
  });

  it('changing the username clears and requires the password and token', () => {
    const typed = { ...original, password: 'old', securityToken: 'old' };
    const changed = editLoginField(original, typed, { username: 'admin@acme.com' });
    expect(changed).toMatchObject({ username: 'admin@acme.com', password: '', securityToken: '' });
    expect(buildUpdateClassicRequest(original, changed)).toMatchObject({
      ok: false,
      errors: { password: expect.any(String), securityToken: expect.any(String) },
    });
    expect(buildUpdateClassicRequest(original, { ...changed, password: 'p', securityToken: 't' })).toEqual({
      ok: true,
      request: { username: 'admin@acme.com', password: 'p', securityToken: 't' },
    });
  });

  it('a new password alone is sent with its token; nothing changed is said so', () => {
    expect(buildUpdateClassicRequest(original, { ...original, password: 'p' })).toMatchObject({
      ok: false,
      errors: { securityToken: expect.any(String) },
    });
    expect(buildUpdateClassicRequest(original, original)).toEqual({ ok: false, errors: { form: 'Nothing changed.' } });
  });

  it('puts server errors under the field they are about', () => {
    expect(placeServerError('CONNECTION_NAME_TAKEN', 'taken', 'password')).toEqual({ name: 'taken' });
    expect(placeServerError('CONNECTION_LOGIN_HOST_INVALID', 'bad', 'client-credentials')).toEqual({ myDomain: 'bad' });
    expect(placeServerError('CRM_LOGIN_REFUSED', 'refused', 'password')).toEqual({ form: 'refused' });
  });
});
