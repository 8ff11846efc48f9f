import type { Connection } from '@orglink/shared';
import { useEffect, useState } from 'preact/hooks';
import type { ApiFailure } from '../../api/api-result.ts';
import { sendMessage } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { Dialog } from '../../ui/dialog.tsx';
import { FieldError } from '../../ui/field-error.tsx';
import { askBackground } from '../ask-background.ts';
import {
  buildCreateClassicRequest,
  buildTestRequest,
  buildUpdateClassicRequest,
  type ClassicErrors,
  type ClassicField,
  type ClassicForm,
  type ClassicMethod,
  editLoginField,
  emptyClassicForm,
  formFromDetails,
  placeServerError,
  secretsRequired,
  toggleSandbox,
} from './classic-connection-form.ts';

interface FieldProps {
  id: ClassicField;
  label: string;
  value: string;
  errors: ClassicErrors;
  onInput: (value: string) => void;
  type?: 'text' | 'password';
  hint?: string;
  placeholder?: string;
}

function Field({ id, label, value, errors, onInput, type = 'text', hint, placeholder }: FieldProps) {
  const error = errors[id];
  const describedBy = [hint ? `classic-${id}-hint` : undefined, error ? `classic-${id}-error` : undefined]
    .filter(Boolean)
    .join(' ');
  const common = {
    id: `classic-${id}`,
    spellcheck: false,
    placeholder,
    value,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy || undefined,
    onInput: (event: Event) => onInput((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class="ol-field">
      <label for={`classic-${id}`}>{label}</label>
      {type === 'password' ? (
        <input type="password" autoComplete="new-password" {...common} />
      ) : (
        <input type="text" autoComplete="off" {...common} />
      )}
      {hint && (
        <p class="ol-hint" id={`classic-${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldError id={`classic-${id}-error`} message={error} />
    </div>
  );
}

/** The login fields of either method; `update` decides what a change does (the edit form clears secrets). */
function LoginFields({
  form,
  errors,
  update,
}: {
  form: ClassicForm;
  errors: ClassicErrors;
  update: (patch: Partial<ClassicForm>) => void;
}) {
  if (form.method === 'client-credentials') {
    return (
      <>
        <Field
          id="myDomain"
          label="My Domain"
          value={form.myDomain}
          errors={errors}
          placeholder="https://acme.my.salesforce.com"
          hint="Client credentials work only at the org's My Domain (Setup > My Domain)."
          onInput={(myDomain) => update({ myDomain })}
        />
        <Field
          id="consumerKey"
          label="Consumer key"
          value={form.consumerKey}
          errors={errors}
          onInput={(consumerKey) => update({ consumerKey })}
        />
        <Field
          id="consumerSecret"
          label="Consumer secret"
          type="password"
          value={form.consumerSecret}
          errors={errors}
          onInput={(consumerSecret) => update({ consumerSecret })}
        />
      </>
    );
  }
  return (
    <>
      <Field
        id="serverHost"
        label="Server host"
        value={form.serverHost}
        errors={errors}
        hint="https://login.salesforce.com, or your My Domain."
        onInput={(serverHost) => update({ serverHost })}
      />
      <label class="ol-choice">
        <input
          type="checkbox"
          checked={form.sandbox}
          data-testid="classic-sandbox"
          onChange={(event) => update(toggleSandbox(form, event.currentTarget.checked))}
        />
        <span>Sandbox (https://test.salesforce.com)</span>
      </label>
      <Field
        id="username"
        label="Username"
        value={form.username}
        errors={errors}
        onInput={(username) => update({ username })}
      />
      <Field
        id="password"
        label="Password"
        type="password"
        value={form.password}
        errors={errors}
        onInput={(password) => update({ password })}
      />
      <Field
        id="securityToken"
        label="Security token"
        type="password"
        value={form.securityToken}
        errors={errors}
        hint="Salesforce e-mails it to the user; resetting the password sends a new one."
        onInput={(securityToken) => update({ securityToken })}
      />
    </>
  );
}

function useTest(form: ClassicForm, setErrors: (errors: ClassicErrors) => void) {
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string }>();
  async function test() {
    const built = buildTestRequest(form);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setTesting(true);
    setErrors({});
    const answer = await askBackground(() => sendMessage('testClassicLogin', built.request));
    setTesting(false);
    setResult(answer.ok ? { ok: true, message: answer.data.message } : { ok: false, message: answer.error.message });
  }
  return { testing, result, setResult, test };
}

function TestResult({ result }: { result: { ok: boolean; message: string } | undefined }) {
  if (!result) return null;
  return (
    <p
      class={result.ok ? 'ol-feedback ol-ok' : 'ol-feedback ol-error'}
      role={result.ok ? 'status' : 'alert'}
      data-testid="classic-test-result"
    >
      {result.message}
    </p>
  );
}

interface DialogProps {
  method: ClassicMethod | undefined;
  onClose: () => void;
  onCreated: (connection: Connection) => void;
  onFailure: (failure: ApiFailure) => void;
}

/** "Classic login" and "Client credentials": Test, Save, Discard. The server logs in before it stores anything. */
export function ClassicConnectionDialog({ method, onClose, onCreated, onFailure }: DialogProps) {
  const [form, setForm] = useState<ClassicForm>(emptyClassicForm(method ?? 'password'));
  const [errors, setErrors] = useState<ClassicErrors>({});
  const [saving, setSaving] = useState(false);
  const { testing, result, setResult, test } = useTest(form, setErrors);

  useEffect(() => {
    if (method) setForm(emptyClassicForm(method));
    setErrors({});
    setResult(undefined);
  }, [method, setResult]);

  const update = (patch: Partial<ClassicForm>) => setForm((current) => ({ ...current, ...patch }));

  async function save(event: Event) {
    event.preventDefault();
    if (saving) return;
    const built = buildCreateClassicRequest(form);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setSaving(true);
    setErrors({});
    const answer = await askBackground(() => sendMessage('createClassicConnection', built.request));
    setSaving(false);
    if (!answer.ok) {
      onFailure(answer);
      setErrors(placeServerError(answer.error.code, answer.error.message, form.method));
      return;
    }
    onCreated(answer.data);
  }

  const title = form.method === 'password' ? 'Salesforce: classic login' : 'Salesforce: client credentials';
  return (
    <Dialog open={method !== undefined} title={title} onClose={onClose} testId="classic-connection-dialog">
      <form class="ol-form" onSubmit={save} noValidate>
        <Field
          id="name"
          label="Name"
          value={form.name}
          errors={errors}
          hint="Unique in your team; without / or :."
          onInput={(name) => update({ name })}
        />
        <LoginFields form={form} errors={errors} update={update} />
        <label class="ol-choice">
          <input
            type="checkbox"
            checked={form.dpaAccepted}
            aria-invalid={errors.dpaAccepted ? 'true' : undefined}
            data-testid="classic-dpa"
            onChange={(event) => update({ dpaAccepted: event.currentTarget.checked })}
          />
          <span>
            I accept the Data Processing Agreement: OrgLink keeps the login encrypted on this server and uses it only
            for your team's jobs.
          </span>
        </label>
        {errors.dpaAccepted && (
          <p class="ol-error" role="alert">
            {errors.dpaAccepted}
          </p>
        )}
        <TestResult result={result} />
        {errors.form && (
          <p class="ol-error" role="alert" data-testid="classic-connection-error">
            {errors.form}
          </p>
        )}
        <div class="ol-dialog__actions">
          <button type="button" class="ol-button ol-button--secondary" onClick={onClose}>
            Discard
          </button>
          <ActionButton busy={testing} busyLabel="Testing…" onClick={() => void test()} testId="classic-test">
            Test
          </ActionButton>
          <ActionButton type="submit" variant="primary" busy={saving} busyLabel="Logging in…" testId="classic-save">
            Save
          </ActionButton>
        </div>
      </form>
    </Dialog>
  );
}

interface EditorProps {
  connection: Connection;
  onSaved: (connection: Connection) => void;
  onFailure: (failure: ApiFailure) => void;
}

/** The login part of a classic connection's edit form: a new host or username clears and requires the secrets. */
export function ClassicLoginEditor({ connection, onSaved, onFailure }: EditorProps) {
  const [original, setOriginal] = useState<ClassicForm>();
  const [form, setForm] = useState<ClassicForm>();
  const [errors, setErrors] = useState<ClassicErrors>({});
  const [saving, setSaving] = useState(false);
  const { testing, result, test } = useTest(form ?? emptyClassicForm('password'), setErrors);

  useEffect(() => {
    void askBackground(() => sendMessage('getClassicLogin', connection.id)).then((answer) => {
      if (!answer.ok) {
        onFailure(answer);
        setErrors({ form: answer.error.message });
        return;
      }
      const loaded = formFromDetails(answer.data);
      setOriginal(loaded);
      setForm(loaded);
    });
  }, [connection.id, onFailure]);

  if (!original || !form) {
    return errors.form ? <p class="ol-error">{errors.form}</p> : <p class="ol-hint">Loading the login…</p>;
  }

  async function save() {
    if (!original || !form || saving) return;
    const built = buildUpdateClassicRequest(original, form);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setSaving(true);
    setErrors({});
    const answer = await askBackground(() =>
      sendMessage('updateClassicLogin', { id: connection.id, patch: built.request }),
    );
    setSaving(false);
    if (!answer.ok) {
      onFailure(answer);
      setErrors(placeServerError(answer.error.code, answer.error.message, form.method));
      return;
    }
    onSaved(answer.data);
  }

  const needsSecrets = secretsRequired(original, form);
  return (
    <fieldset class="ol-form" data-testid="classic-login-editor">
      <legend>Login</legend>
      <LoginFields form={form} errors={errors} update={(patch) => setForm(editLoginField(original, form, patch))} />
      <p class="ol-hint">
        {needsSecrets
          ? form.method === 'password'
            ? 'The server host or username changed: enter the password and security token again.'
            : 'The My Domain or consumer key changed: enter the consumer secret again.'
          : 'Leave the secrets empty to keep the stored ones.'}
      </p>
      <TestResult result={result} />
      {errors.form && (
        <p class="ol-error" role="alert">
          {errors.form}
        </p>
      )}
      <div class="ol-dialog__actions">
        <button
          type="button"
          class="ol-button ol-button--secondary"
          onClick={() => {
            setForm(original);
            setErrors({});
          }}
        >
          Discard
        </button>
        <ActionButton busy={testing} busyLabel="Testing…" onClick={() => void test()}>
          Test
        </ActionButton>
        <ActionButton
          variant="primary"
          busy={saving}
          busyLabel="Logging in…"
          onClick={() => void save()}
          testId="classic-login-save"
        >
          Save login
        </ActionButton>
      </div>
    </fieldset>
  );
}
