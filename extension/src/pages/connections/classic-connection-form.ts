import type {
  ClassicLoginDetails,
  CreateClassicConnectionRequest,
  TestClassicLoginRequest,
  UpdateClassicLoginRequest,
} from '@orglink/shared';
import { parseConnectionName, parseDescription } from '../../api/connection-input.ts';

/** "Classic login" and "Client credentials": the two ways to add Salesforce without a browser sign-in. */
export type ClassicMethod = 'password' | 'client-credentials';

export const PRODUCTION_HOST = 'https://login.salesforce.com';
export const SANDBOX_HOST = 'https://test.salesforce.com';

export interface ClassicForm {
  method: ClassicMethod;
  name: string;
  description: string;
  serverHost: string;
  sandbox: boolean;
  username: string;
  password: string;
  securityToken: string;
  myDomain: string;
  consumerKey: string;
  consumerSecret: string;
  dpaAccepted: boolean;
}

export type ClassicField = Exclude<keyof ClassicForm, 'method'>;
export type ClassicErrors = Partial<Record<ClassicField | 'form', string>>;

export function emptyClassicForm(method: ClassicMethod): ClassicForm {
  return {
    method,
    name: '',
    description: '',
    serverHost: PRODUCTION_HOST,
    sandbox: false,
    username: '',
    password: '',
    securityToken: '',
    myDomain: '',
    consumerKey: '',
    consumerSecret: '',
    dpaAccepted: false,
  };
}

/** The Sandbox checkbox toggles the generic host, as Jitterbit's does; a My Domain typed by the admin stays. */
export function toggleSandbox(form: ClassicForm, sandbox: boolean): ClassicForm {
  const generic =
    form.serverHost.trim() === '' || form.serverHost === PRODUCTION_HOST || form.serverHost === SANDBOX_HOST;
  return { ...form, sandbox, serverHost: generic ? (sandbox ? SANDBOX_HOST : PRODUCTION_HOST) : form.serverHost };
}

const HTTPS_HOST = /^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\/?$/i;
const MY_DOMAIN = /\.my\.salesforce\.(com|mil)\/?$|\.my\.sfcrmproducts\.cn\/?$/i;

function checkHost(raw: string, what: string): string | undefined {
  const host = raw.trim();
  if (!host) return `Enter the ${what}.`;
  const withScheme = /^https?:\/\//i.test(host) ? host : `https://${host}`;
  if (/^http:\/\//i.test(withScheme)) return `The ${what} must use https://.`;
  if (!HTTPS_HOST.test(withScheme)) return `Enter only a host, such as https://acme.my.salesforce.com.`;
  return undefined;
}

const normalizeHost = (raw: string) => {
  const host = raw.trim().replace(/\/+$/, '');
  return /^https:\/\//i.test(host) ? host.toLowerCase() : `https://${host.toLowerCase()}`;
};

/** Inline checks of the login fields, shared by Test, Save and the edit form. */
function loginErrors(form: ClassicForm, required: { secrets: boolean }): ClassicErrors {
  const errors: ClassicErrors = {};
  if (form.method === 'password') {
    const host = checkHost(form.serverHost, 'server host');
    if (host) errors.serverHost = host;
    else if (form.sandbox && normalizeHost(form.serverHost) === PRODUCTION_HOST) {
      errors.serverHost = 'Sandbox is ticked: use https://test.salesforce.com or the sandbox’s My Domain.';
    }
    if (!form.username.trim()) errors.username = 'Enter the Salesforce username, such as integration@acme.com.';
    if (required.secrets && !form.password) errors.password = 'Enter the password.';
    if (required.secrets && !form.securityToken.trim()) {
      errors.securityToken = 'Enter the security token (Salesforce e-mails it; reset it under Settings if needed).';
    }
  } else {
    const host = checkHost(form.myDomain, 'My Domain');
    if (host) errors.myDomain = host;
    else if (!MY_DOMAIN.test(form.myDomain.trim())) {
      errors.myDomain = 'Client credentials work only at your My Domain, such as https://acme.my.salesforce.com.';
    }
    if (!form.consumerKey.trim()) errors.consumerKey = 'Enter the connected app’s consumer key.';
    if (required.secrets && !form.consumerSecret) errors.consumerSecret = 'Enter the connected app’s consumer secret.';
  }
  return errors;
}

type Built<T> = { ok: true; request: T } | { ok: false; errors: ClassicErrors };

export function buildTestRequest(form: ClassicForm): Built<TestClassicLoginRequest> {
  const errors = loginErrors(form, { secrets: true });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    request:
      form.method === 'password'
        ? {
            authMethod: 'password',
            loginHost: normalizeHost(form.serverHost),
            sandbox: form.sandbox,
            username: form.username.trim(),
            password: form.password,
            securityToken: form.securityToken.trim(),
          }
        : {
            authMethod: 'client-credentials',
            myDomain: normalizeHost(form.myDomain),
            consumerKey: form.consumerKey.trim(),
            consumerSecret: form.consumerSecret,
          },
  };
}

export function buildCreateClassicRequest(form: ClassicForm): Built<CreateClassicConnectionRequest> {
  const errors = loginErrors(form, { secrets: true });
  const name = parseConnectionName(form.name);
  if (!name.ok) errors.name = name.message;
  const description = parseDescription(form.description);
  if (!description.ok) errors.description = description.message;
  if (!form.dpaAccepted) errors.dpaAccepted = 'Accept the Data Processing Agreement to store the connection.';
  const login = buildTestRequest(form);
  if (!login.ok || !name.ok || !description.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  const extra = {
    name: name.value,
    dpaAccepted: true,
    ...(description.value ? { description: description.value } : {}),
  };
  return { ok: true, request: { ...login.request, ...extra } as CreateClassicConnectionRequest };
}

/** The edit form starts from what the server shows; secrets start empty. */
export function formFromDetails(details: ClassicLoginDetails): ClassicForm {
  const empty = emptyClassicForm(details.authMethod);
  return details.authMethod === 'password'
    ? { ...empty, serverHost: details.serverHost, sandbox: details.sandbox, username: details.username }
    : { ...empty, myDomain: details.myDomain, consumerKey: details.consumerKey };
}

/**
 * "Enable Re-authentication on Change": a new host or username clears and requires the password and security token;
 * a new My Domain or consumer key requires the consumer secret.
 */
export function secretsRequired(original: ClassicForm, form: ClassicForm): boolean {
  if (form.method === 'password') {
    return (
      normalizeHost(form.serverHost) !== normalizeHost(original.serverHost) ||
      form.sandbox !== original.sandbox ||
      form.username.trim().toLowerCase() !== original.username.trim().toLowerCase() ||
      !original.username
    );
  }
  return (
    normalizeHost(form.myDomain) !== normalizeHost(original.myDomain) ||
    form.consumerKey.trim() !== original.consumerKey.trim() ||
    !original.consumerKey
  );
}

/** Editing a login field that needs the secrets again clears the secrets typed so far. */
export function editLoginField(original: ClassicForm, form: ClassicForm, patch: Partial<ClassicForm>): ClassicForm {
  const next = { ...form, ...patch };
  if (secretsRequired(original, next) && !secretsRequired(original, form)) {
    return { ...next, password: '', securityToken: '', consumerSecret: '' };
  }
  return next;
}

/** Only what changed; the secrets when they are required or typed. */
export function buildUpdateClassicRequest(original: ClassicForm, form: ClassicForm): Built<UpdateClassicLoginRequest> {
  const required = secretsRequired(original, form);
  const typed =
    form.method === 'password' ? Boolean(form.password || form.securityToken) : Boolean(form.consumerSecret);
  const errors = loginErrors(form, { secrets: required || typed });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const patch: UpdateClassicLoginRequest = {};
  if (form.method === 'password') {
    if (normalizeHost(form.serverHost) !== normalizeHost(original.serverHost) || form.sandbox !== original.sandbox) {
      patch.loginHost = normalizeHost(form.serverHost);
      patch.sandbox = form.sandbox;
    }
    if (form.username.trim() !== original.username.trim()) patch.username = form.username.trim();
    if (required || typed) {
      patch.password = form.password;
      patch.securityToken = form.securityToken.trim();
    }
  } else {
    if (normalizeHost(form.myDomain) !== normalizeHost(original.myDomain))
      patch.myDomain = normalizeHost(form.myDomain);
    if (form.consumerKey.trim() !== original.consumerKey.trim()) patch.consumerKey = form.consumerKey.trim();
    if (required || typed) patch.consumerSecret = form.consumerSecret;
  }
  if (Object.keys(patch).length === 0) return { ok: false, errors: { form: 'Nothing changed.' } };
  return { ok: true, request: patch };
}

/** Where a server error belongs: under the field it is about, else at the form's foot. */
export function placeServerError(code: string, message: string, method: ClassicMethod): ClassicErrors {
  if (/NAME/.test(code)) return { name: message };
  if (code === 'CONNECTION_LOGIN_HOST_INVALID')
    return method === 'password' ? { serverHost: message } : { myDomain: message };
  if (code === 'DPA_NOT_ACCEPTED') return { dpaAccepted: message };
  return { form: message };
}
