import type { CreateConnectionRequest, DynamicsCloud } from '@orglink/shared';
import { parseConnectionName, parseDescription, parseLoginHost } from '../../api/connection-input.ts';

/** The three kinds of connection "+ New Connection" offers, as Plauti Cloud does. */
export type ConnectionChoice = 'salesforce-production' | 'salesforce-sandbox' | 'dynamics';

export const CONNECTION_CHOICES: ReadonlyArray<{ value: ConnectionChoice; label: string; hint: string }> = [
  {
    value: 'salesforce-production',
    label: 'Salesforce Production',
    hint: 'Sign in at login.salesforce.com.',
  },
  {
    value: 'salesforce-sandbox',
    label: 'Salesforce Sandbox',
    hint: 'Sign in at test.salesforce.com, or at your sandbox’s My Domain.',
  },
  {
    value: 'dynamics',
    label: 'Dynamics 365',
    hint: 'Sign in with Microsoft, then choose the environment.',
  },
];

export interface NewConnectionForm {
  choice: ConnectionChoice | undefined;
  name: string;
  description: string;
  loginHost: string;
  cloud: DynamicsCloud;
}

export type NewConnectionField = 'choice' | 'name' | 'description' | 'loginHost';

export const EMPTY_NEW_CONNECTION_FORM: NewConnectionForm = {
  choice: undefined,
  name: '',
  description: '',
  loginHost: '',
  cloud: 'public',
};

/** Turns the form into the API request, or says what to fix in each field. */
export function buildCreateConnectionRequest(
  form: NewConnectionForm,
): { ok: true; request: CreateConnectionRequest } | { ok: false; errors: Partial<Record<NewConnectionField, string>> } {
  const errors: Partial<Record<NewConnectionField, string>> = {};
  if (!form.choice)
    errors.choice = 'Choose what to connect: Salesforce Production, Salesforce Sandbox or Dynamics 365.';
  const name = parseConnectionName(form.name);
  if (!name.ok) errors.name = name.message;
  const description = parseDescription(form.description);
  if (!description.ok) errors.description = description.message;
  const loginHost = form.choice === 'salesforce-sandbox' ? parseLoginHost(form.loginHost) : undefined;
  if (loginHost && !loginHost.ok) errors.loginHost = loginHost.message;
  if (!form.choice || !name.ok || !description.ok || (loginHost && !loginHost.ok)) return { ok: false, errors };

  const request: CreateConnectionRequest =
    form.choice === 'dynamics'
      ? { name: name.value, kind: 'dynamics', environment: form.cloud }
      : {
          name: name.value,
          kind: 'salesforce',
          environment: form.choice === 'salesforce-sandbox' ? 'sandbox' : 'production',
        };
  if (description.value) request.description = description.value;
  if (loginHost?.ok && loginHost.value) request.loginHost = loginHost.value;
  return { ok: true, request };
}
