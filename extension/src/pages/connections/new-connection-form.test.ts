import { describe, expect, it } from 'vitest';
import { buildCreateConnectionRequest, EMPTY_NEW_CONNECTION_FORM } from './new-connection-form.ts';

describe('buildCreateConnectionRequest', () => {
  it('asks for a choice and a name before anything else', () => {
    expect(buildCreateConnectionRequest(EMPTY_NEW_CONNECTION_FORM)).toEqual({
      ok: false,
      errors: {
        choice: expect.stringContaining('Choose what to connect'),
        name: expect.stringContaining('Give the connection a name'),
      },
    });
  });

  it('refuses / and : in the name, saying why', () => {
    const result = buildCreateConnectionRequest({
      ...EMPTY_NEW_CONNECTION_FORM,
      choice: 'salesforce-production',
      name: 'Acme: Prod',
    });
    expect(result).toMatchObject({ ok: false, errors: { name: expect.stringContaining('must not contain / or :') } });
  });

  it('builds a production request with a trimmed name and no empty description', () => {
    expect(
      buildCreateConnectionRequest({ ...EMPTY_NEW_CONNECTION_FORM, choice: 'salesforce-production', name: ' Acme ' }),
    ).toEqual({ ok: true, request: { name: 'Acme', kind: 'salesforce', environment: 'production' } });
  });

  it('takes a sandbox My Domain with or without https://, and refuses one that is not a host name', () => {
    const sandbox = { ...EMPTY_NEW_CONNECTION_FORM, choice: 'salesforce-sandbox' as const, name: 'UAT' };
    expect(
      buildCreateConnectionRequest({ ...sandbox, loginHost: 'https://Acme--UAT.sandbox.my.salesforce.com/' }),
    ).toEqual({
      ok: true,
      request: {
        name: 'UAT',
        kind: 'salesforce',
        environment: 'sandbox',
        loginHost: 'acme--uat.sandbox.my.salesforce.com',
      },
    });
    expect(buildCreateConnectionRequest({ ...sandbox, loginHost: '' })).toMatchObject({
      ok: true,
      request: { environment: 'sandbox' },
    });
    expect(buildCreateConnectionRequest({ ...sandbox, loginHost: 'acme uat' })).toMatchObject({
      ok: false,
      errors: { loginHost: expect.stringContaining('My Domain host name') },
    });
  });

  it('ignores a login host typed before switching away from Sandbox', () => {
    expect(
      buildCreateConnectionRequest({
        ...EMPTY_NEW_CONNECTION_FORM,
        choice: 'salesforce-production',
        name: 'Prod',
        loginHost: 'bad host',
      }),
    ).toMatchObject({ ok: true, request: { environment: 'production' } });
  });

  it('sends the Dynamics environment type as the environment, with the description', () => {
    expect(
      buildCreateConnectionRequest({
        ...EMPTY_NEW_CONNECTION_FORM,
        choice: 'dynamics',
        name: 'Contoso',
        cloud: 'gcc-high',
        description: ' US government tenant ',
      }),
    ).toEqual({
      ok: true,
      request: { name: 'Contoso', kind: 'dynamics', environment: 'gcc-high', description: 'US government tenant' },
    });
  });
});
