import { type Connection, DYNAMICS_CLOUD_LABELS, type DynamicsCloud } from '@orglink/shared';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApiFailure } from '../../api/api-result.ts';
import type { LoginWindow } from '../../api/session.ts';
import { sendMessage } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { Dialog } from '../../ui/dialog.tsx';
import { FieldError } from '../../ui/field-error.tsx';
import { askBackground } from '../ask-background.ts';
import {
  buildCreateConnectionRequest,
  CONNECTION_CHOICES,
  type ConnectionChoice,
  EMPTY_NEW_CONNECTION_FORM,
  type NewConnectionField,
  type NewConnectionForm,
} from './new-connection-form.ts';

interface Props {
  open: boolean;
  onClose: () => void;
  onCreated: (connection: Connection, login: LoginWindow) => void;
  onFailure: (failure: ApiFailure) => void;
}

type FieldErrors = Partial<Record<NewConnectionField | 'form', string>>;

/** Server codes that are about the name, so their message goes under the name field. */
const NAME_ERROR = /NAME/;

/** "+ New Connection": the three choices, the environment type for Dynamics, then name and description. */
export function NewConnectionDialog({ open, onClose, onCreated, onFailure }: Props) {
  const [form, setForm] = useState<NewConnectionForm>(EMPTY_NEW_CONNECTION_FORM);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // Bumped by a failed submit: once the error marks are rendered, focus goes to the first thing to fix.
  const [focusRequest, setFocusRequest] = useState(0);

  useLayoutEffect(() => {
    if (focusRequest === 0) return;
    formRef.current?.querySelector<HTMLElement>('.ol-choices[aria-describedby] input, [aria-invalid="true"]')?.focus();
  }, [focusRequest]);

  const update = (patch: Partial<NewConnectionForm>) => setForm((current) => ({ ...current, ...patch }));
  const close = () => {
    setForm(EMPTY_NEW_CONNECTION_FORM);
    setErrors({});
    onClose();
  };

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    const built = buildCreateConnectionRequest(form);
    if (!built.ok) {
      setErrors(built.errors);
      setFocusRequest((count) => count + 1);
      return;
    }
    setBusy(true);
    setErrors({});
    const result = await askBackground(() => sendMessage('createConnection', built.request));
    setBusy(false);
    if (!result.ok) {
      onFailure(result);
      setErrors(NAME_ERROR.test(result.error.code) ? { name: result.error.message } : { form: result.error.message });
      return;
    }
    setForm(EMPTY_NEW_CONNECTION_FORM);
    onCreated(result.data.connection, result.data.login);
  }

  const described = (field: NewConnectionField, hintId?: string) =>
    [hintId, errors[field] ? `new-${field}-error` : undefined].filter(Boolean).join(' ') || undefined;

  return (
    <Dialog open={open} title="New connection" onClose={close} testId="new-connection-dialog">
      <form class="ol-form" ref={formRef} onSubmit={submit} noValidate>
        <fieldset class="ol-choices" aria-describedby={errors.choice ? 'new-choice-error' : undefined}>
          <legend>What do you want to connect?</legend>
          {CONNECTION_CHOICES.map((choice) => (
            <label class="ol-choice" key={choice.value}>
              <input
                type="radio"
                name="choice"
                value={choice.value}
                checked={form.choice === choice.value}
                onChange={() => update({ choice: choice.value as ConnectionChoice })}
              />
              <span>
                <span class="ol-choice__label">{choice.label}</span>
                <span class="ol-choice__hint">{choice.hint}</span>
              </span>
            </label>
          ))}
          <FieldError id="new-choice-error" message={errors.choice} />
        </fieldset>

        {form.choice === 'dynamics' && (
          <div class="ol-field">
            <label for="new-cloud">Environment type</label>
            <select
              id="new-cloud"
              value={form.cloud}
              onChange={(event) => update({ cloud: event.currentTarget.value as DynamicsCloud })}
            >
              {Object.entries(DYNAMICS_CLOUD_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        )}

        {form.choice === 'salesforce-sandbox' && (
          <div class="ol-field">
            <label for="new-login-host">
              My Domain login host <span class="ol-optional">(optional)</span>
            </label>
            <input
              id="new-login-host"
              type="text"
              spellcheck={false}
              placeholder="acme--uat.sandbox.my.salesforce.com"
              value={form.loginHost}
              aria-invalid={errors.loginHost ? 'true' : undefined}
              aria-describedby={described('loginHost', 'new-login-host-hint')}
              onInput={(event) => update({ loginHost: event.currentTarget.value })}
            />
            <p class="ol-hint" id="new-login-host-hint">
              Leave empty to sign in at test.salesforce.com.
            </p>
            <FieldError id="new-loginHost-error" message={errors.loginHost} />
          </div>
        )}

        <div class="ol-field">
          <label for="new-name">Name</label>
          <input
            id="new-name"
            type="text"
            maxLength={80}
            value={form.name}
            aria-invalid={errors.name ? 'true' : undefined}
            aria-describedby={described('name', 'new-name-hint')}
            onInput={(event) => update({ name: event.currentTarget.value })}
          />
          <p class="ol-hint" id="new-name-hint">
            Unique in your team; without / or :.
          </p>
          <FieldError id="new-name-error" message={errors.name} />
        </div>

        <div class="ol-field">
          <label for="new-description">
            Description <span class="ol-optional">(optional)</span>
          </label>
          <textarea
            id="new-description"
            rows={2}
            value={form.description}
            aria-invalid={errors.description ? 'true' : undefined}
            aria-describedby={described('description')}
            onInput={(event) => update({ description: event.currentTarget.value })}
          />
          <FieldError id="new-description-error" message={errors.description} />
        </div>

        {errors.form && (
          <p class="ol-error" role="alert" data-testid="new-connection-error">
            {errors.form}
          </p>
        )}
        <div class="ol-dialog__actions">
          <button type="button" class="ol-button ol-button--secondary" onClick={close}>
            Cancel
          </button>
          <ActionButton type="submit" variant="primary" busy={busy} busyLabel="Creating…" testId="create-connection">
            Create and sign in
          </ActionButton>
        </div>
      </form>
    </Dialog>
  );
}
