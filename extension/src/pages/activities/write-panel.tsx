import {
  ActivityErrorCode,
  type ActivityKind,
  type ActivityRun,
  type ActivityUpload,
  type CrmField,
} from '@orglink/shared';
import { useEffect, useState } from 'preact/hooks';
import { sendMessage } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { formatCount } from '../../ui/run-format.ts';
import { askBackground } from '../ask-background.ts';
import { activityLabel, isUpsertActivity, offersAllOrNone } from './activity-kinds.ts';
import {
  autoMap,
  type ColumnMapping,
  checkMapping,
  columnMapFor,
  externalIdChoices,
  fieldChoices,
  hasProblems,
} from './column-mapping.ts';
import { formatBytes, uploadSizeProblem } from './csv-upload-plan.ts';
import { sendCsvThroughBackground } from './send-csv.ts';

interface Props {
  connectionId: string;
  activity: ActivityKind;
  object: string;
  fields: CrmField[];
  deniedReason: string | undefined;
  onStarted: (started: ActivityRun) => void;
}

type UploadState =
  | { phase: 'none' }
  | { phase: 'sending'; name: string; sent: number; size: number }
  | { phase: 'ready'; name: string; upload: ActivityUpload }
  | { phase: 'failed'; message: string };

/** Where the server's refusal belongs on the form: next to the upload, the mapping table, or the Run button. */
type ServerProblem = { area: 'upload' | 'mapping' | 'run'; message: string; columns?: string[] };

const UPLOAD_CODES: readonly string[] = [
  ActivityErrorCode.UploadInvalid,
  ActivityErrorCode.UploadNotFound,
  ActivityErrorCode.UploadTooLarge,
];
const MAPPING_CODES: readonly string[] = [
  ActivityErrorCode.UnknownColumns,
  ActivityErrorCode.UnknownFields,
  ActivityErrorCode.ExternalIdNotUnique,
  ActivityErrorCode.InvalidRequest,
];

/** Insert, Update, Upsert, Delete and their bulk variants: a CSV upload, its column-to-field mapping, and Run. */
export function WritePanel({ connectionId, activity, object, fields, deniedReason, onStarted }: Props) {
  const [upload, setUpload] = useState<UploadState>({ phase: 'none' });
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [externalId, setExternalId] = useState('');
  const [allOrNone, setAllOrNone] = useState(false);
  const [confirmation, setConfirmation] = useState('');
  const [serverProblem, setServerProblem] = useState<ServerProblem>();
  const [starting, setStarting] = useState(false);

  const columns = upload.phase === 'ready' ? upload.upload.columns : [];
  // A new file, object or activity maps again from scratch: the old choices named other columns or fields.
  useEffect(() => {
    setMapping(autoMap(columns, fieldChoices(activity, fields)));
    setServerProblem(undefined);
  }, [upload, fields, activity]);

  const externalIds = externalIdChoices(fields);
  const problems = checkMapping(activity, mapping, fields, externalId);
  const hardDelete = activity === 'bulk-hard-delete';
  const confirmed = !hardDelete || confirmation.trim() === object || confirmation.trim() === 'DELETE';

  async function chooseFile(input: HTMLInputElement) {
    const file = input.files?.[0];
    setServerProblem(undefined);
    if (!file) return setUpload({ phase: 'none' });
    const tooLarge = uploadSizeProblem(file);
    if (tooLarge) {
      input.value = '';
      return setUpload({ phase: 'failed', message: tooLarge });
    }
    setUpload({ phase: 'sending', name: file.name, sent: 0, size: file.size });
    const result = await sendCsvThroughBackground(connectionId, file, (sent) =>
      setUpload({ phase: 'sending', name: file.name, sent, size: file.size }),
    );
    setUpload(
      result.ok
        ? { phase: 'ready', name: file.name, upload: result.data }
        : { phase: 'failed', message: result.error.message },
    );
  }

  async function run() {
    if (upload.phase !== 'ready' || hasProblems(problems) || !confirmed) {
      setServerProblem({
        area: 'run',
        message:
          upload.phase !== 'ready'
            ? 'Choose a CSV file first.'
            : !confirmed
              ? `Type ${object} or DELETE to confirm the hard delete.`
              : 'Fix the mapping problems shown above first.',
      });
      return;
    }
    setStarting(true);
    const result = await askBackground(() =>
      sendMessage('startActivity', {
        connectionId,
        request: {
          activity,
          object,
          uploadId: upload.upload.uploadId,
          columnMap: columnMapFor(mapping),
          ...(isUpsertActivity(activity) ? { externalIdField: externalId } : {}),
          ...(offersAllOrNone(activity) ? { allOrNone } : {}),
        },
      }),
    );
    setStarting(false);
    if (result.ok) {
      setServerProblem(undefined);
      onStarted(result.data);
      return;
    }
    const { code, message, details } = result.error;
    const listed = (details as { columns?: unknown } | undefined)?.columns;
    setServerProblem({
      area: UPLOAD_CODES.includes(code) ? 'upload' : MAPPING_CODES.includes(code) ? 'mapping' : 'run',
      message,
      ...(Array.isArray(listed) ? { columns: listed.filter((column) => typeof column === 'string') } : {}),
    });
  }

  const choices = fieldChoices(activity, fields);
  return (
    <fieldset data-testid="write-panel">
      <legend>{activityLabel(activity)}</legend>
      <label class="ol-field">
        <span class="ol-field__label">Records (CSV with a header row, up to 150 MB)</span>
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={(event) => void chooseFile(event.currentTarget as HTMLInputElement)}
          aria-describedby="upload-feedback"
          data-testid="csv-file"
        />
      </label>
      <div id="upload-feedback">
        {upload.phase === 'sending' && (
          <p class="ol-notice" role="status" data-testid="upload-progress">
            Sending “{upload.name}”: {formatBytes(upload.sent)} of {formatBytes(upload.size)}…
          </p>
        )}
        {upload.phase === 'ready' && (
          <p class="ol-ok" role="status" data-testid="upload-summary">
            “{upload.name}”: {formatCount(upload.upload.rows)} records, {upload.upload.columns.length} columns (
            {formatBytes(upload.upload.bytes)}).
          </p>
        )}
        {upload.phase === 'failed' && (
          <p class="ol-field-error" role="alert" data-testid="upload-error">
            {upload.message}
          </p>
        )}
        {serverProblem?.area === 'upload' && (
          <p class="ol-field-error" role="alert" data-testid="upload-error">
            {serverProblem.message}
          </p>
        )}
      </div>

      {upload.phase === 'ready' && (
        <>
          {isUpsertActivity(activity) && (
            <label class="ol-field">
              <span class="ol-field__label">External ID field (matches each row to a record)</span>
              <select
                value={externalId}
                onChange={(event) => setExternalId((event.currentTarget as HTMLSelectElement).value)}
                data-testid="external-id"
              >
                <option value="">Pick a field…</option>
                {externalIds.map((field) => (
                  <option key={field.name} value={field.name}>
                    {field.label} ({field.name})
                  </option>
                ))}
              </select>
              {externalIds.length === 0 && (
                <span class="ol-field-error">
                  {object} has no field marked External ID and Unique. Upsert needs one; use Insert or Update instead.
                </span>
              )}
            </label>
          )}
          <table class="ol-table ol-mapping" data-testid="mapping-table">
            <thead>
              <tr>
                <th scope="col">CSV column</th>
                <th scope="col">{object} field</th>
              </tr>
            </thead>
            <tbody>
              {columns.map((column) => {
                const problem =
                  problems.columns[column] ??
                  (serverProblem?.columns?.includes(column)
                    ? 'This column matches no field: map it or skip it.'
                    : undefined);
                const id = `map-problem-${columns.indexOf(column)}`;
                return (
                  <tr key={column} data-testid="mapping-row" data-column={column}>
                    <th scope="row">{column}</th>
                    <td>
                      <select
                        aria-label={`Field for column ${column}`}
                        aria-invalid={problem ? 'true' : undefined}
                        aria-describedby={problem ? id : undefined}
                        value={mapping[column] ?? ''}
                        onChange={(event) => {
                          setMapping({ ...mapping, [column]: (event.currentTarget as HTMLSelectElement).value });
                          setServerProblem(undefined);
                        }}
                        data-testid="column-field"
                      >
                        <option value="">Skip this column</option>
                        {choices.map((field) => (
                          <option key={field.name} value={field.name}>
                            {field.label} ({field.name})
                          </option>
                        ))}
                      </select>
                      {problem && (
                        <p id={id} class="ol-field-error" data-testid="column-problem">
                          {problem}
                        </p>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div data-testid="mapping-problems">
            {problems.general.map((problem) => (
              <p key={problem} class="ol-field-error">
                {problem}
              </p>
            ))}
            {serverProblem?.area === 'mapping' && (
              <p class="ol-field-error" role="alert" data-testid="mapping-error">
                {serverProblem.message}
              </p>
            )}
          </div>
          {offersAllOrNone(activity) && (
            <label class="ol-toggle">
              <input
                type="checkbox"
                checked={allOrNone}
                onChange={(event) => setAllOrNone((event.currentTarget as HTMLInputElement).checked)}
                data-testid="all-or-none"
              />
              <span>
                <strong>All or none</strong>
                <br />
                <span class="ol-notice">If one record of a batch of 200 fails, none of that batch is written.</span>
              </span>
            </label>
          )}
          {hardDelete && (
            <label class="ol-field">
              <span class="ol-field__label">
                Bulk Hard Delete skips the Recycle Bin: the records cannot be restored. Type {object} or DELETE to
                confirm.
              </span>
              <input
                type="text"
                value={confirmation}
                autocomplete="off"
                onInput={(event) => setConfirmation((event.currentTarget as HTMLInputElement).value)}
                data-testid="hard-delete-confirm"
              />
            </label>
          )}
        </>
      )}
      {serverProblem?.area === 'run' && (
        <p class="ol-field-error" role="alert" data-testid="run-error">
          {serverProblem.message}
        </p>
      )}
      <div class="ol-toolbar">
        <ActionButton
          variant={hardDelete ? 'danger' : 'primary'}
          onClick={() => void run()}
          busy={starting}
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
