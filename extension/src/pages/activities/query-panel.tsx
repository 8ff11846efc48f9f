import type { ActivityKind, ActivityRun, ConditionOperator, CrmField, QueryCountRequest } from '@orglink/shared';
import { useState } from 'preact/hooks';
import { sendMessage } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { formatCount } from '../../ui/run-format.ts';
import { askBackground } from '../ask-background.ts';
import { activityLabel } from './activity-kinds.ts';
import { type BuilderDraft, builderRequest, emptyBuilder, OPERATORS, previewSoql } from './query-builder.ts';

interface Props {
  connectionId: string;
  activity: ActivityKind;
  object: string;
  fields: CrmField[];
  deniedReason: string | undefined;
  onStarted: (started: ActivityRun) => void;
}

type Mode = 'builder' | 'soql';

const selectValue = (event: Event) => (event.currentTarget as HTMLSelectElement).value;
const inputValue = (event: Event) => (event.currentTarget as HTMLInputElement | HTMLTextAreaElement).value;

/** Query / Bulk Query: the builder (fields, conditions, order, limit) with its SOQL, or SOQL typed by hand. */
export function QueryPanel({ connectionId, activity, object, fields, deniedReason, onStarted }: Props) {
  const [mode, setMode] = useState<Mode>('builder');
  const [draft, setDraft] = useState<BuilderDraft>(emptyBuilder);
  const [soql, setSoql] = useState('');
  const [count, setCount] = useState<{ count: number; soql: string }>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState<'count' | 'run'>();

  const built = builderRequest(draft);
  const preview = built.ok ? previewSoql(object, built.builder, fields) : undefined;
  const update = (patch: Partial<BuilderDraft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setCount(undefined);
    setProblem(undefined);
  };

  /** The query part of a request, or what to fix before asking the server. */
  function queryRequest(): QueryCountRequest | string {
    if (mode === 'soql') return soql.trim() ? { soql: soql.trim() } : 'Type a SOQL query, or use the builder.';
    return built.ok ? { object, builder: built.builder } : built.problem;
  }

  async function countRecords() {
    const request = queryRequest();
    if (typeof request === 'string') return setProblem(request);
    setBusy('count');
    const result = await askBackground(() => sendMessage('countActivityQuery', { connectionId, request }));
    setBusy(undefined);
    if (result.ok) {
      setCount(result.data);
      setProblem(undefined);
    } else {
      setCount(undefined);
      setProblem(result.error.message);
    }
  }

  async function run() {
    const request = queryRequest();
    if (typeof request === 'string') return setProblem(request);
    setBusy('run');
    const result = await askBackground(() =>
      sendMessage('startActivity', { connectionId, request: { activity, ...request } }),
    );
    setBusy(undefined);
    if (result.ok) {
      setProblem(undefined);
      onStarted(result.data);
    } else setProblem(result.error.message);
  }

  const switchMode = (next: Mode) => {
    // The SOQL editor starts from what the builder made, so switching is a way to refine it by hand.
    if (next === 'soql' && !soql && preview) setSoql(preview);
    setMode(next);
    setCount(undefined);
    setProblem(undefined);
  };

  const fieldOptions = fields.map((field) => (
    <option key={field.name} value={field.name}>
      {field.label} ({field.name})
    </option>
  ));

  return (
    <fieldset data-testid="query-panel">
      <legend>{activityLabel(activity)}</legend>
      <div class="ol-row" role="radiogroup" aria-label="How to write the query">
        <label>
          <input
            type="radio"
            name="query-mode"
            checked={mode === 'builder'}
            onChange={() => switchMode('builder')}
            data-testid="mode-builder"
          />{' '}
          Builder
        </label>
        <label>
          <input
            type="radio"
            name="query-mode"
            checked={mode === 'soql'}
            onChange={() => switchMode('soql')}
            data-testid="mode-soql"
          />{' '}
          SOQL
        </label>
      </div>

      {mode === 'builder' && (
        <>
          <label class="ol-field">
            <span class="ol-field__label">Fields</span>
            <select
              multiple
              size={8}
              onChange={(event) =>
                update({
                  fields: [...(event.currentTarget as HTMLSelectElement).selectedOptions].map((option) => option.value),
                })
              }
              data-testid="builder-fields"
            >
              {fields.map((field) => (
                <option key={field.name} value={field.name} selected={draft.fields.includes(field.name)}>
                  {field.label} ({field.name})
                </option>
              ))}
            </select>
            <span class="ol-field__hint">Ctrl- or Cmd-click to pick several.</span>
          </label>
          <div class="ol-field">
            <span class="ol-field__label">Conditions (all must hold)</span>
            {draft.conditions.map((condition, at) => (
              <div class="ol-condition" key={at} data-testid="condition">
                <select
                  aria-label={`Condition ${at + 1} field`}
                  value={condition.field}
                  onChange={(event) =>
                    update({
                      conditions: draft.conditions.map((entry, index) =>
                        index === at ? { ...entry, field: selectValue(event) } : entry,
                      ),
                    })
                  }
                  data-testid="condition-field"
                >
                  <option value="">Field…</option>
                  {fieldOptions}
                </select>
                <select
                  aria-label={`Condition ${at + 1} operator`}
                  value={condition.operator}
                  onChange={(event) =>
                    update({
                      conditions: draft.conditions.map((entry, index) =>
                        index === at ? { ...entry, operator: selectValue(event) as ConditionOperator } : entry,
                      ),
                    })
                  }
                  data-testid="condition-operator"
                >
                  {OPERATORS.map((operator) => (
                    <option key={operator} value={operator}>
                      {operator}
                    </option>
                  ))}
                </select>
                <input
                  type="text"
                  aria-label={`Condition ${at + 1} value`}
                  placeholder={condition.operator.endsWith('IN') ? 'a, b, c' : 'value (% matches anything with LIKE)'}
                  value={condition.value}
                  onInput={(event) =>
                    update({
                      conditions: draft.conditions.map((entry, index) =>
                        index === at ? { ...entry, value: inputValue(event) } : entry,
                      ),
                    })
                  }
                  data-testid="condition-value"
                />
                <button
                  type="button"
                  class="ol-button ol-button--secondary"
                  aria-label={`Remove condition ${at + 1}`}
                  onClick={() => update({ conditions: draft.conditions.filter((_, index) => index !== at) })}
                >
                  ×
                </button>
              </div>
            ))}
            <div>
              <button
                type="button"
                class="ol-button ol-button--secondary"
                onClick={() => update({ conditions: [...draft.conditions, { field: '', operator: '=', value: '' }] })}
                data-testid="add-condition"
              >
                + Condition
              </button>
            </div>
          </div>
          <div class="ol-row">
            <label class="ol-field">
              <span class="ol-field__label">Order by</span>
              <select
                value={draft.orderField}
                onChange={(event) => update({ orderField: selectValue(event) })}
                data-testid="order-field"
              >
                <option value="">(no order)</option>
                {fieldOptions}
              </select>
            </label>
            <label class="ol-field">
              <span class="ol-field__label">Direction</span>
              <select
                value={draft.orderDirection}
                onChange={(event) => update({ orderDirection: selectValue(event) as 'ASC' | 'DESC' })}
              >
                <option value="ASC">Ascending</option>
                <option value="DESC">Descending</option>
              </select>
            </label>
            <label class="ol-field">
              <span class="ol-field__label">Limit</span>
              <input
                type="text"
                inputMode="numeric"
                placeholder="all"
                value={draft.limit}
                onInput={(event) => update({ limit: inputValue(event) })}
                data-testid="limit"
              />
            </label>
          </div>
          <div class="ol-field">
            <span class="ol-field__label">SOQL</span>
            <pre class="ol-soql" data-testid="soql-preview">
              {preview ?? '—'}
            </pre>
          </div>
        </>
      )}

      {mode === 'soql' && (
        <label class="ol-field">
          <span class="ol-field__label">SOQL</span>
          <textarea
            class="ol-soql-editor"
            value={soql}
            spellcheck={false}
            aria-invalid={problem ? 'true' : undefined}
            aria-describedby="query-problem"
            onInput={(event) => {
              setSoql(inputValue(event));
              setCount(undefined);
              setProblem(undefined);
            }}
            data-testid="soql-editor"
          />
        </label>
      )}

      <p id="query-problem" class="ol-field-error" role="alert" data-testid="query-error">
        {problem ?? (mode === 'builder' && !built.ok ? built.problem : '')}
      </p>
      {count && (
        <p class="ol-ok" role="status" data-testid="count-result">
          {formatCount(count.count)} {count.count === 1 ? 'record matches' : 'records match'}.
        </p>
      )}
      <div class="ol-toolbar">
        <ActionButton
          onClick={() => void countRecords()}
          busy={busy === 'count'}
          busyLabel="Counting…"
          deniedReason={deniedReason}
          testId="count"
        >
          Count
        </ActionButton>
        <ActionButton
          variant="primary"
          onClick={() => void run()}
          busy={busy === 'run'}
          busyLabel="Starting…"
          deniedReason={deniedReason}
          testId="run-activity"
        >
          Run {activityLabel(activity)}
        </ActionButton>
      </div>
    </fieldset>
  );
}
