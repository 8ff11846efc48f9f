import type { Connection, DcObject, Job, JobRun, Scenario } from '@orglink/shared';
import { useEffect, useState } from 'preact/hooks';
import type { ApiFailure } from '../../api/api-result.ts';
import { sendMessage } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { Dialog } from '../../ui/dialog.tsx';
import { FieldError } from '../../ui/field-error.tsx';
import { LoadingRows } from '../../ui/states.tsx';
import { askBackground } from '../ask-background.ts';
import { methodLabel } from '../duplicates/dc-format.ts';
import {
  buildDcJobRequest,
  CRON_HINT,
  DC_OBJECT_CHOICES,
  type DcJobErrors,
  type DcJobForm,
  defaultScenarioIds,
  errorsFromFailure,
} from './duplicate-check-form.ts';
import { ScenarioEditor } from './scenario-editor.tsx';

interface Props {
  connection: Connection;
  open: boolean;
  onClose: () => void;
  /** Run now: the run that was queued. */
  onStarted: (run: JobRun) => void;
  /** Save schedule: the job that was defined. */
  onScheduled: (job: Job) => void;
  onFailure: (failure: ApiFailure) => void;
}

type ScenariosState =
  | { phase: 'loading' }
  | { phase: 'failed'; message: string }
  | { phase: 'ready'; scenarios: Scenario[] };

/** "Duplicate Check" on a Salesforce connection: the object, its scenarios, an optional schedule; Run now or save. */
export function DuplicateCheckDialog({ connection, open, onClose, onStarted, onScheduled, onFailure }: Props) {
  const [form, setForm] = useState<DcJobForm>({ object: 'Contact', scenarioIds: [], schedule: '' });
  const [scenarios, setScenarios] = useState<ScenariosState>({ phase: 'loading' });
  const [errors, setErrors] = useState<DcJobErrors>({});
  const [busy, setBusy] = useState<'run' | 'schedule'>();
  const [editing, setEditing] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!open) return;
    let current = true;
    setScenarios({ phase: 'loading' });
    void askBackground(() => sendMessage('listDcScenarios', form.object)).then((result) => {
      if (!current) return;
      if (!result.ok) {
        onFailure(result);
        setScenarios({ phase: 'failed', message: result.error.message });
        return;
      }
      setScenarios({ phase: 'ready', scenarios: result.data.scenarios });
      setForm((now) => ({ ...now, scenarioIds: defaultScenarioIds(result.data.scenarios) }));
    });
    return () => {
      current = false;
    };
  }, [open, form.object, attempt]);

  const close = () => {
    setErrors({});
    setEditing(false);
    onClose();
  };

  async function submit(mode: 'run' | 'schedule') {
    if (busy) return;
    const built = buildDcJobRequest(connection.id, form, mode);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setBusy(mode);
    setErrors({});
    const result = await askBackground(() => sendMessage('createDcJob', built.request));
    setBusy(undefined);
    if (!result.ok) {
      onFailure(result);
      setErrors(errorsFromFailure(result));
      return;
    }
    if (result.data.run) onStarted(result.data.run);
    else onScheduled(result.data.job);
  }

  const toggle = (id: string, ticked: boolean) =>
    setForm((now) => ({
      ...now,
      scenarioIds: ticked
        ? [...now.scenarioIds.filter((other) => other !== id), id]
        : now.scenarioIds.filter((other) => other !== id),
    }));

  return (
    <Dialog open={open} title={`Duplicate Check: ${connection.name}`} onClose={close} testId="dc-dialog">
      <form
        class="ol-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit('run');
        }}
      >
        <div class="ol-field">
          <label for="dc-object">Object</label>
          <select
            id="dc-object"
            value={form.object}
            data-testid="dc-object"
            aria-invalid={errors.object ? 'true' : undefined}
            aria-describedby={errors.object ? 'dc-object-error' : undefined}
            onChange={(event) => {
              setEditing(false);
              setErrors({});
              setForm((now) => ({ ...now, object: event.currentTarget.value as DcObject, scenarioIds: [] }));
            }}
          >
            {DC_OBJECT_CHOICES.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
          <FieldError id="dc-object-error" message={errors.object} />
        </div>

        <fieldset class="ol-choices" aria-describedby={errors.scenarios ? 'dc-scenarios-error' : undefined}>
          <legend>Scenarios</legend>
          <p class="ol-hint">
            Two records are duplicates when any ticked scenario scores them at or above its threshold.
          </p>
          {scenarios.phase === 'loading' && <LoadingRows label="Loading scenarios…" rows={2} />}
          {scenarios.phase === 'failed' && (
            <p class="ol-error" role="alert">
              {scenarios.message}{' '}
              <button type="button" class="ol-link-button" onClick={() => setAttempt((value) => value + 1)}>
                Retry
              </button>
            </p>
          )}
          {scenarios.phase === 'ready' && scenarios.scenarios.length === 0 && (
            <p class="ol-notice">No scenarios for this object yet: add one below.</p>
          )}
          {scenarios.phase === 'ready' &&
            scenarios.scenarios.map((scenario) => (
              <ScenarioChoice
                key={scenario.id}
                scenario={scenario}
                ticked={form.scenarioIds.includes(scenario.id)}
                onToggle={(ticked) => toggle(scenario.id, ticked)}
              />
            ))}
          <FieldError id="dc-scenarios-error" message={errors.scenarios} />
        </fieldset>

        {editing ? (
          <ScenarioEditor
            connectionId={connection.id}
            object={form.object}
            onCancel={() => setEditing(false)}
            onCreated={(scenario) => {
              setEditing(false);
              setScenarios((now) =>
                now.phase === 'ready' ? { phase: 'ready', scenarios: [...now.scenarios, scenario] } : now,
              );
              setForm((now) => ({ ...now, scenarioIds: [...now.scenarioIds, scenario.id] }));
            }}
          />
        ) : (
          <button type="button" class="ol-link-button" onClick={() => setEditing(true)} data-testid="dc-new-scenario">
            + New scenario
          </button>
        )}

        <div class="ol-field">
          <label for="dc-schedule">
            Schedule <span class="ol-optional">(optional, cron in UTC)</span>
          </label>
          <input
            id="dc-schedule"
            type="text"
            spellcheck={false}
            placeholder="0 2 * * *"
            value={form.schedule}
            data-testid="dc-schedule"
            aria-invalid={errors.schedule ? 'true' : undefined}
            aria-describedby={`dc-schedule-hint${errors.schedule ? ' dc-schedule-error' : ''}`}
            onInput={(event) => {
              const schedule = event.currentTarget.value;
              setForm((now) => ({ ...now, schedule }));
            }}
          />
          <p class="ol-hint" id="dc-schedule-hint">
            {CRON_HINT} Scheduled runs wait for someone to start them unless the connection's "Auto-run Duplicate Check
            jobs" is on.
          </p>
          <FieldError id="dc-schedule-error" message={errors.schedule} />
        </div>

        {errors.form && (
          <p class="ol-error" role="alert" data-testid="dc-form-error">
            {errors.form}
          </p>
        )}
        <div class="ol-dialog__actions">
          <button type="button" class="ol-button ol-button--secondary" onClick={close}>
            Cancel
          </button>
          <ActionButton
            busy={busy === 'schedule'}
            busyLabel="Saving…"
            onClick={() => void submit('schedule')}
            testId="dc-save-schedule"
          >
            Save schedule
          </ActionButton>
          <ActionButton type="submit" variant="primary" busy={busy === 'run'} busyLabel="Starting…" testId="dc-run-now">
            Run now
          </ActionButton>
        </div>
      </form>
    </Dialog>
  );
}

function ScenarioChoice({
  scenario,
  ticked,
  onToggle,
}: {
  scenario: Scenario;
  ticked: boolean;
  onToggle: (ticked: boolean) => void;
}) {
  return (
    <div class="ol-choice ol-dc-scenario" data-testid="dc-scenario" data-scenario-id={scenario.id}>
      <input
        id={`dc-scenario-${scenario.id}`}
        type="checkbox"
        checked={ticked}
        onChange={(event) => onToggle(event.currentTarget.checked)}
      />
      <div>
        <label class="ol-choice__label" for={`dc-scenario-${scenario.id}`}>
          {scenario.name}
          {scenario.builtIn ? ' (built in)' : ''}
        </label>
        <details>
          <summary class="ol-choice__hint">
            {scenario.rules.length} fields, duplicates from {scenario.threshold}%
          </summary>
          <table class="ol-table ol-dc-rules" data-testid="dc-scenario-rules">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Method</th>
                <th scope="col">Weight</th>
              </tr>
            </thead>
            <tbody>
              {scenario.rules.map((rule) => (
                <tr key={`${rule.field}:${rule.method}`}>
                  <th scope="row">
                    {rule.contactField && rule.contactField !== rule.field
                      ? `${rule.field} / Contact ${rule.contactField}`
                      : rule.field}
                  </th>
                  <td>{methodLabel(rule.method)}</td>
                  <td>{rule.weight}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </div>
    </div>
  );
}
