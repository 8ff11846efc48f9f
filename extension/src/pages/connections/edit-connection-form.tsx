import type { Connection, UpdateConnectionRequest } from '@orglink/shared';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApiFailure } from '../../api/api-result.ts';
import { parseConnectionName, parseDescription } from '../../api/connection-input.ts';
import { sendMessage } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { askBackground } from '../ask-background.ts';

interface Props {
  connection: Connection;
  /** The team's production connections, which a sandbox connection can be linked to. */
  productionConnections: Connection[];
  onSaved: (connection: Connection) => void;
  onCancel: () => void;
  onFailure: (failure: ApiFailure) => void;
}

type Errors = { name?: string; description?: string; form?: string };

/** Edit name and description (and a sandbox's linked production connection); server refusals show in place. */
export function EditConnectionForm({ connection, productionConnections, onSaved, onCancel, onFailure }: Props) {
  const [name, setName] = useState(connection.name);
  const [description, setDescription] = useState(connection.description);
  const [linkedProductionId, setLinkedProductionId] = useState(connection.linkedProductionId ?? '');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  const isSandbox = connection.kind === 'salesforce' && connection.environment === 'sandbox';

  // Opening the form puts the cursor in the name, before the next paint, so typing starts there.
  useLayoutEffect(() => nameInput.current?.focus(), []);

  async function save(event: Event) {
    event.preventDefault();
    if (busy) return;
    const parsedName = parseConnectionName(name);
    const parsedDescription = parseDescription(description);
    if (!parsedName.ok || !parsedDescription.ok) {
      setErrors({
        ...(parsedName.ok ? {} : { name: parsedName.message }),
        ...(parsedDescription.ok ? {} : { description: parsedDescription.message }),
      });
      (parsedName.ok ? undefined : nameInput.current)?.focus();
      return;
    }
    const patch: UpdateConnectionRequest = {};
    if (parsedName.value !== connection.name) patch.name = parsedName.value;
    if (parsedDescription.value !== connection.description) patch.description = parsedDescription.value;
    const linked = linkedProductionId || null;
    if (isSandbox && linked !== connection.linkedProductionId) patch.linkedProductionId = linked;
    if (Object.keys(patch).length === 0) {
      onCancel();
      return;
    }
    setBusy(true);
    setErrors({});
    const result = await askBackground(() => sendMessage('updateConnection', { id: connection.id, patch }));
    setBusy(false);
    if (!result.ok) {
      onFailure(result);
      // 400 (a forbidden character) and 409 (name taken) are about the name: say so next to it.
      const aboutName = /NAME/.test(result.error.code) || (patch.name !== undefined && result.status === 409);
      setErrors(aboutName ? { name: result.error.message } : { form: result.error.message });
      if (aboutName) nameInput.current?.focus();
      return;
    }
    onSaved(result.data);
  }

  return (
    <form class="ol-form ol-edit" onSubmit={save} noValidate aria-label={`Edit ${connection.name}`}>
      <div class="ol-field">
        <label for="edit-name">Name</label>
        <input
          id="edit-name"
          ref={nameInput}
          type="text"
          maxLength={80}
          value={name}
          aria-invalid={errors.name ? 'true' : undefined}
          aria-describedby={errors.name ? 'edit-name-error' : 'edit-name-hint'}
          onInput={(event) => setName(event.currentTarget.value)}
        />
        <p class="ol-hint" id="edit-name-hint">
          Unique in your team; without / or :.
        </p>
        {errors.name && (
          <p class="ol-error" id="edit-name-error" role="alert" data-testid="edit-name-error">
            {errors.name}
          </p>
        )}
      </div>
      <div class="ol-field">
        <label for="edit-description">Description</label>
        <textarea
          id="edit-description"
          rows={2}
          value={description}
          aria-invalid={errors.description ? 'true' : undefined}
          onInput={(event) => setDescription(event.currentTarget.value)}
        />
        {errors.description && (
          <p class="ol-error" role="alert">
            {errors.description}
          </p>
        )}
      </div>
      {isSandbox && (
        <div class="ol-field">
          <label for="edit-linked">Start from production connection</label>
          <select
            id="edit-linked"
            value={linkedProductionId}
            aria-describedby="edit-linked-hint"
            onChange={(event) => setLinkedProductionId(event.currentTarget.value)}
          >
            <option value="">None</option>
            {productionConnections.map((production) => (
              <option key={production.id} value={production.id}>
                {production.name}
              </option>
            ))}
          </select>
          <p class="ol-hint" id="edit-linked-hint">
            A linked sandbox starts from the production connection's field maps and Duplicate Check scenarios.
          </p>
        </div>
      )}
      {errors.form && (
        <p class="ol-error" role="alert">
          {errors.form}
        </p>
      )}
      <div class="ol-form__actions">
        <ActionButton type="submit" variant="primary" busy={busy} busyLabel="Saving…" testId="save-connection">
          Save
        </ActionButton>
        <button type="button" class="ol-button ol-button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
