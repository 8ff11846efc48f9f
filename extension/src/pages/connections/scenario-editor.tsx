import { type DcObject, MATCH_METHOD_LABELS, MATCH_METHODS, type MatchMethod, type Scenario } from '@orglink/shared';
import { useMemo, useState } from 'preact/hooks';
import { sendMessage } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { FieldError } from '../../ui/field-error.tsx';
import { useObjectFields } from '../activities/use-object-fields.ts';
import { askBackground } from '../ask-background.ts';
import {
  buildScenarioRequest,
  describedObject,
  EMPTY_ROW,
  emptyScenarioForm,
  type ScenarioErrors,
  type ScenarioForm,
  suggestedMethod,
} from './scenario-form.ts';

interface Props {
  connectionId: string;
  object: DcObject;
  onCreated: (scenario: Scenario) => void;
  onCancel: () => void;
}

/** A custom scenario: its name, threshold and rows of field (from the org's describe), method and weight. */
export function ScenarioEditor({ connectionId, object, onCreated, onCancel }: Props) {
  const [form, setForm] = useState<ScenarioForm>(emptyScenarioForm);
  const [errors, setErrors] = useState<ScenarioErrors>({});
  const [busy, setBusy] = useState(false);

  const described = useObjectFields(connectionId, describedObject(object));
  const fields = useMemo(
    () => (described.phase === 'ready' ? [...described.fields].sort((a, b) => a.label.localeCompare(b.label)) : []),
    [described],
  );

  const updateRow = (index: number, patch: Partial<ScenarioForm['rows'][number]>) =>
    setForm((now) => ({ ...now, rows: now.rows.map((row, at) => (at === index ? { ...row, ...patch } : row)) }));

  async function save() {
    if (busy) return;
    const built = buildScenarioRequest(object, form);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setBusy(true);
    setErrors({});
    const result = await askBackground(() => sendMessage('createDcScenario', built.request));
    setBusy(false);
    if (!result.ok) {
      // DC_SCENARIO_INVALID names the field, method or threshold it refused: it goes with the rows it concerns.
      setErrors(
        result.error.code === 'DC_SCENARIO_INVALID' ? { rows: result.error.message } : { form: result.error.message },
      );
      return;
    }
    onCreated(result.data);
  }

  const fieldType = (name: string) => fields.find((field) => field.name === name)?.type;

  return (
    <fieldset class="ol-dc-editor" data-testid="dc-scenario-editor">
      <legend>New scenario for {object === 'Lead-Contact' ? 'Lead against Contact' : object}</legend>
      <div class="ol-field">
        <label for="dc-scenario-name">Name</label>
        <input
          id="dc-scenario-name"
          type="text"
          maxLength={80}
          value={form.name}
          data-testid="dc-scenario-name"
          aria-invalid={errors.name ? 'true' : undefined}
          aria-describedby={errors.name ? 'dc-scenario-name-error' : undefined}
          onInput={(event) => {
            const name = event.currentTarget.value;
            setForm((now) => ({ ...now, name }));
          }}
        />
        <FieldError id="dc-scenario-name-error" message={errors.name} />
      </div>
      <div class="ol-field">
        <label for="dc-scenario-threshold">Threshold (%)</label>
        <input
          id="dc-scenario-threshold"
          type="number"
          min={0}
          max={100}
          value={form.threshold}
          data-testid="dc-scenario-threshold"
          aria-invalid={errors.threshold ? 'true' : undefined}
          aria-describedby={errors.threshold ? 'dc-scenario-threshold-error' : undefined}
          onInput={(event) => {
            const threshold = event.currentTarget.value;
            setForm((now) => ({ ...now, threshold }));
          }}
        />
        <FieldError id="dc-scenario-threshold-error" message={errors.threshold} />
      </div>
      {(described.phase === 'idle' || described.phase === 'loading') && (
        <p class="ol-notice">Reading the fields of {describedObject(object)}…</p>
      )}
      {described.phase === 'failed' && (
        <p class="ol-error" role="alert" data-testid="dc-scenario-fields-error">
          {described.message}
        </p>
      )}
      {described.phase === 'ready' && (
        <table class="ol-table" data-testid="dc-scenario-rows">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Method</th>
              <th scope="col">Weight</th>
              <th scope="col">
                <span class="ol-visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {form.rows.map((row, index) => (
              <tr key={index} data-testid="dc-scenario-row">
                <td>
                  <select
                    aria-label={`Field ${index + 1}`}
                    value={row.field}
                    data-testid="dc-rule-field"
                    onChange={(event) => {
                      const field = event.currentTarget.value;
                      updateRow(index, { field, method: suggestedMethod(fieldType(field)) });
                    }}
                  >
                    <option value="">Pick a field…</option>
                    {fields.map((field) => (
                      <option key={field.name} value={field.name}>
                        {field.label} ({field.name})
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <select
                    aria-label={`Method ${index + 1}`}
                    value={row.method}
                    data-testid="dc-rule-method"
                    onChange={(event) => updateRow(index, { method: event.currentTarget.value as MatchMethod })}
                  >
                    {MATCH_METHODS.map((method) => (
                      <option key={method} value={method}>
                        {MATCH_METHOD_LABELS[method]}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    aria-label={`Weight ${index + 1}`}
                    type="number"
                    min={1}
                    max={100}
                    value={row.weight}
                    data-testid="dc-rule-weight"
                    onInput={(event) => updateRow(index, { weight: event.currentTarget.value })}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    class="ol-link-button"
                    aria-label={`Remove row ${index + 1}`}
                    onClick={() => setForm((now) => ({ ...now, rows: now.rows.filter((_, at) => at !== index) }))}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {errors.rows && (
        <p class="ol-error" role="alert" data-testid="dc-scenario-rows-error">
          {errors.rows}
        </p>
      )}
      {errors.form && (
        <p class="ol-error" role="alert">
          {errors.form}
        </p>
      )}
      <div class="ol-toolbar">
        <button
          type="button"
          class="ol-link-button"
          disabled={form.rows.length >= 20}
          onClick={() => setForm((now) => ({ ...now, rows: [...now.rows, { ...EMPTY_ROW }] }))}
          data-testid="dc-add-rule"
        >
          + Add field
        </button>
        <button type="button" class="ol-button ol-button--secondary" onClick={onCancel}>
          Cancel
        </button>
        <ActionButton busy={busy} busyLabel="Saving…" onClick={() => void save()} testId="dc-save-scenario">
          Save scenario
        </ActionButton>
      </div>
    </fieldset>
  );
}
