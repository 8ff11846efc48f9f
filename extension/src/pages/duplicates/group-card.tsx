import type { DcGroup, DcPair } from '@orglink/shared';
import { useState } from 'preact/hooks';
import type { ApiResult } from '../../api/api-result.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { comparedFields, describeFieldScore, formatScore, methodLabel, recordName, valueFor } from './dc-format.ts';

export interface PairReview {
  dismiss: (pairId: string) => Promise<ApiResult<DcPair>>;
  restore: (pairId: string) => Promise<ApiResult<DcPair>>;
  /** Why this person may not dismiss (viewers); the button then says it instead of acting. */
  deniedReason: string | undefined;
}

interface Props {
  group: DcGroup;
  review: PairReview;
}

/**
 * One group of possible duplicates: its records side by side (one column each, one row per compared field), then
 * each matching pair with the field-level reasons, and "Not a duplicate" to dismiss a false positive.
 */
export function GroupCard({ group, review }: Props) {
  const fields = comparedFields(group);
  return (
    <article class="ol-dc-group" data-testid="dc-group" data-group-id={group.id}>
      <header class="ol-dc-group__head">
        <h3>
          {group.records.length} records · score <span data-testid="dc-group-score">{formatScore(group.score)}</span>
        </h3>
      </header>
      <div class="ol-dc-scroll">
        <table class="ol-table ol-dc-side" data-testid="dc-side-by-side">
          <thead>
            <tr>
              <th scope="col">Field</th>
              {group.records.map((record) => (
                <th scope="col" key={record.id} data-testid="dc-record-header">
                  <span class="ol-table__name">{record.name || record.id}</span>
                  <span class="ol-table__sub">
                    {record.object} · {record.id}
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <tr key={field} data-testid="dc-field-row" data-field={field}>
                <th scope="row">{field}</th>
                {group.records.map((record, index) => {
                  const value = valueFor(group, index, field);
                  return (
                    <td key={record.id} class={value === null || value === '' ? 'ol-dc-blank' : undefined}>
                      {value === null || value === '' ? '(blank)' : value}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul class="ol-dc-pairs">
        {group.pairs.map((pair) => (
          <PairReasons key={pair.id} pair={pair} group={group} review={review} />
        ))}
      </ul>
    </article>
  );
}

type PairState = { dismissed: boolean; busy: boolean; problem?: string };

function PairReasons({ pair, group, review }: { pair: DcPair; group: DcGroup; review: PairReview }) {
  const [state, setState] = useState<PairState>({ dismissed: pair.dismissed, busy: false });
  const title = `${recordName(group, pair.recordA)} and ${recordName(group, pair.recordB)}`;

  async function change(dismiss: boolean) {
    setState((current) => ({ ...current, busy: true, problem: undefined }));
    const result = await (dismiss ? review.dismiss(pair.id) : review.restore(pair.id));
    setState((current) =>
      result.ok
        ? { dismissed: result.data.dismissed, busy: false }
        : { ...current, busy: false, problem: result.error.message },
    );
  }

  return (
    <li
      class={`ol-dc-pair${state.dismissed ? ' ol-dc-pair--dismissed' : ''}`}
      data-testid="dc-pair"
      data-pair-id={pair.id}
      data-dismissed={state.dismissed ? 'true' : 'false'}
    >
      <div class="ol-dc-pair__head">
        <span>
          <strong>{title}</strong>: {formatScore(pair.score)} by “{pair.scenarioName}”
        </span>
        {state.dismissed ? (
          <span class="ol-dc-pair__undo" role="status">
            Marked as not a duplicate; it will not come back in later runs.{' '}
            <ActionButton
              onClick={() => void change(false)}
              busy={state.busy}
              busyLabel="Undoing…"
              deniedReason={review.deniedReason}
              testId="dc-restore"
            >
              Undo
            </ActionButton>
          </span>
        ) : (
          <ActionButton
            onClick={() => void change(true)}
            busy={state.busy}
            busyLabel="Dismissing…"
            deniedReason={review.deniedReason}
            testId="dc-dismiss"
          >
            Not a duplicate
          </ActionButton>
        )}
      </div>
      {review.deniedReason && !state.dismissed && (
        <p class="ol-hint" data-testid="dc-dismiss-denied">
          {review.deniedReason}
        </p>
      )}
      {state.problem && (
        <p class="ol-error" role="alert" data-testid="dc-pair-error">
          {state.problem}
        </p>
      )}
      {!state.dismissed && (
        <table class="ol-table ol-dc-reasons" data-testid="dc-reasons">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Method</th>
              <th scope="col">Score</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {pair.fields.map((field) => (
              <tr
                key={`${field.field}:${field.method}`}
                data-testid="dc-reason"
                data-compared={field.score === null ? 'false' : 'true'}
              >
                <th scope="row">
                  {field.contactField && field.contactField !== field.field
                    ? `${field.field} / ${field.contactField}`
                    : field.field}
                </th>
                <td>
                  {methodLabel(field.method)}
                  <span class="ol-table__sub">weight {field.weight}</span>
                </td>
                <td>{describeFieldScore(field)}</td>
                <td>{field.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}
