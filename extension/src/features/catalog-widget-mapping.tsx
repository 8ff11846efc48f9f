import type { CrmField, Integration, MappingOptions, MatchKey, TargetObject } from '@orglink/shared';
import { useEffect, useId, useState } from 'preact/hooks';
import type { CatalogWidgetApi } from './catalog-widget-api.ts';
import { CrmFieldPicker } from './catalog-widget-field-picker.tsx';
import {
  emptyRow,
  fieldLabel,
  initialRows,
  type MappingRow,
  missingMandatory,
  rowNamedIn,
  toFieldMap,
  validateRows,
} from './catalog-widget-model.ts';

type Options = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; options: MappingOptions };

interface Props {
  integration: Integration;
  canEdit: boolean;
  api: CatalogWidgetApi;
  onSaved: (integration: Integration) => void;
}

/** Table select, one row per mapping with a searchable CRM field picker, the match key, Save. */
export function MappingTab({ integration, canEdit, api, onSaved }: Props) {
  const [target, setTarget] = useState<TargetObject>(integration.target);
  const [options, setOptions] = useState<Options>({ state: 'loading' });
  const [rows, setRows] = useState<MappingRow[]>([]);
  const [matchKey, setMatchKey] = useState<MatchKey>(integration.matchKey);
  const [externalIdField, setExternalIdField] = useState(integration.externalIdField ?? '');
  const [problems, setProblems] = useState<Map<number, string>>(new Map());
  const [formError, setFormError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const load = async (table: TargetObject) => {
    setOptions({ state: 'loading' });
    const result = await api.getMappingOptions({ id: integration.id, target: table });
    if (!result.ok) {
      setOptions({ state: 'error', message: result.error.message });
      return;
    }
    setOptions({ state: 'ready', options: result.data });
    // The saved map belongs to the saved table; another table starts from its own defaults.
    setRows(initialRows(table === integration.target ? integration.fieldMap : undefined, result.data));
    const externalIds = result.data.crmFields.filter((field) => field.externalId);
    setExternalIdField((current) =>
      externalIds.some((field) => field.name === current) ? current : (externalIds[0]?.name ?? ''),
    );
    setProblems(new Map());
    setFormError(undefined);
  };
  useEffect(() => void load(target), [target, integration.id]);

  const denied = canEdit ? undefined : 'Viewers cannot change the field map. Ask a team admin or owner.';

  const update = (key: number, change: Partial<MappingRow>) => {
    setSaved(false);
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));
    setProblems((current) => {
      if (!current.has(key)) return current;
      const next = new Map(current);
      next.delete(key);
      return next;
    });
  };

  async function save(event: Event) {
    event.preventDefault();
    if (options.state !== 'ready' || busy || denied) return;
    const found = validateRows(rows, options.options);
    const missing = missingMandatory(rows, options.options);
    const externalIdMissing = matchKey === 'external-id' && externalIdField === '';
    setProblems(found);
    setSaved(false);
    if (found.size > 0 || missing.length > 0 || externalIdMissing) {
      setFormError(
        missing.length > 0
          ? `Map the mandatory fields: ${missing.join(', ')}.`
          : externalIdMissing
            ? `Choose the External ID field that holds the Catalog user id, or match by Email.`
            : 'Fix the fields marked below, then Save.',
      );
      return;
    }
    setBusy(true);
    setFormError(undefined);
    const result = await api.updateIntegration({
      id: integration.id,
      patch: {
        target,
        matchKey,
        externalIdField: matchKey === 'external-id' ? externalIdField : null,
        fieldMap: toFieldMap(rows),
      },
    });
    setBusy(false);
    if (!result.ok) {
      // The server's 400 names the field: shown on its row as well as above the table.
      const row = rowNamedIn(result.error.message, rows);
      if (row !== undefined) setProblems(new Map([[row, result.error.message]]));
      setFormError(result.error.message);
      return;
    }
    setSaved(true);
    onSaved(result.data);
  }

  if (options.state === 'loading') {
    return (
      <p class="ol-cw__note" role="status" aria-busy="true" data-testid="orglink-mapping-loading">
        Reading the {target} fields from {integration.connectionName}…
      </p>
    );
  }
  if (options.state === 'error') {
    return (
      <div class="ol-cw__error" role="alert" data-testid="orglink-mapping-error">
        <p>{options.message}</p>
        <button type="button" class="ol-cw__secondary" onClick={() => void load(target)}>
          Retry
        </button>
      </div>
    );
  }
  const { crmFields, catalogFields, mandatory } = options.options;
  const byName = new Map(crmFields.map((field) => [field.name, field]));
  const externalIds = crmFields.filter((field) => field.externalId);
  return (
    <form class="ol-cw__form" onSubmit={save} noValidate data-testid="orglink-mapping-form">
      <div class="ol-cw__inline">
        <div class="ol-cw__field">
          <label for={`${id}-table`}>Table</label>
          <select
            id={`${id}-table`}
            value={target}
            onChange={(event) => setTarget(event.currentTarget.value as TargetObject)}
            data-testid="orglink-mapping-table"
          >
            <option value="Contact">Contact</option>
            <option value="Lead">Lead</option>
          </select>
        </div>
        <div class="ol-cw__field">
          <label for={`${id}-match`}>Match records by</label>
          <select
            id={`${id}-match`}
            value={matchKey}
            onChange={(event) => setMatchKey(event.currentTarget.value as MatchKey)}
            data-testid="orglink-mapping-match-key"
          >
            <option value="external-id">External ID (Catalog user id)</option>
            <option value="email">Email</option>
          </select>
        </div>
        {matchKey === 'external-id' && (
          <div class="ol-cw__field">
            <label for={`${id}-external`}>External ID field</label>
            <select
              id={`${id}-external`}
              value={externalIdField}
              onChange={(event) => setExternalIdField(event.currentTarget.value)}
              data-testid="orglink-mapping-external-id"
            >
              {externalIds.length === 0 && <option value="">No External ID field on {target}</option>}
              {externalIds.map((field) => (
                <option key={field.name} value={field.name}>
                  {fieldLabel(field)}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <table class="ol-cw__table" data-testid="orglink-mapping-rows">
        <caption class="ol-cw__hidden">Catalog user fields mapped to {target} fields</caption>
        <thead>
          <tr>
            <th scope="col">{target} field</th>
            <th scope="col">From</th>
            <th scope="col">
              <span class="ol-cw__hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const isMandatory = mandatory.includes(row.target);
            const problem = problems.get(row.key);
            const errorId = `${id}-row-${row.key}-error`;
            return (
              <tr key={row.key} data-testid="orglink-mapping-row" data-target={row.target}>
                <td>
                  <CrmFieldPicker
                    fields={crmFields}
                    value={byName.get(row.target)}
                    label={`${target} field, row ${index + 1}`}
                    disabled={isMandatory}
                    invalid={problem !== undefined}
                    describedBy={problem ? errorId : undefined}
                    onChange={(field: CrmField) => update(row.key, { target: field.name })}
                  />
                  {isMandatory && (
                    <span class="ol-cw__mandatory" data-testid="orglink-mandatory">
                      Required
                    </span>
                  )}
                  {problem && (
                    <p class="ol-cw__field-error" id={errorId} role="alert" data-testid="orglink-row-error">
                      {problem}
                    </p>
                  )}
                </td>
                <td>
                  <select
                    aria-label={`Source of row ${index + 1}`}
                    value={row.useConstant ? '__constant' : row.source}
                    onChange={(event) => {
                      const value = event.currentTarget.value;
                      update(
                        row.key,
                        value === '__constant' ? { useConstant: true } : { useConstant: false, source: value },
                      );
                    }}
                    data-testid="orglink-mapping-source"
                  >
                    <option value="">Choose a Catalog field…</option>
                    {catalogFields.map((field) => (
                      <option key={field.name} value={field.name}>
                        {field.label}
                      </option>
                    ))}
                    <option value="__constant">A fixed value…</option>
                  </select>
                  {row.useConstant && (
                    <input
                      type="text"
                      aria-label={`Fixed value of row ${index + 1}`}
                      value={row.constant}
                      maxLength={255}
                      onInput={(event) => update(row.key, { constant: event.currentTarget.value })}
                      data-testid="orglink-mapping-constant"
                    />
                  )}
                </td>
                <td>
                  {!isMandatory && (
                    <button
                      type="button"
                      class="ol-cw__link"
                      aria-label={`Remove row ${index + 1}`}
                      onClick={() => {
                        setSaved(false);
                        setRows((current) => current.filter((candidate) => candidate.key !== row.key));
                      }}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button
        type="button"
        class="ol-cw__secondary"
        onClick={() => setRows((current) => [...current, emptyRow()])}
        data-testid="orglink-mapping-add"
      >
        + Add a field
      </button>
      {formError && (
        <p class="ol-cw__field-error" role="alert" data-testid="orglink-mapping-form-error">
          {formError}
        </p>
      )}
      {saved && (
        <p class="ol-cw__ok" role="status" data-testid="orglink-mapping-saved">
          Saved. The next write job uses this field map.
        </p>
      )}
      <button
        type="submit"
        class="ol-cw__primary"
        disabled={busy || denied !== undefined}
        title={denied}
        data-testid="orglink-mapping-save"
      >
        {busy ? 'Saving…' : 'Save'}
      </button>
      {denied && <p class="ol-cw__note">{denied}</p>}
    </form>
  );
}
