import { useState } from 'preact/hooks';
import { sendMessage } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { saveCsv } from '../../ui/save-csv.ts';
import { askBackground } from '../ask-background.ts';

interface Props {
  runId: string;
  file: 'results' | 'errors';
  label: string;
  busyLabel?: string;
  testId: string;
}

/**
 * A run's results.csv or errors.csv: it comes through the background (which holds the token) as text and the page
 * saves it from a Blob. Used by the Activities run panel and the Duplicate Check results page.
 */
export function RunCsvButton({ runId, file, label, busyLabel = 'Downloading…', testId }: Props) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  async function download() {
    setBusy(true);
    setProblem(undefined);
    const result = await askBackground(() => sendMessage('downloadRunCsv', { runId, file }));
    setBusy(false);
    if (result.ok) saveCsv(result.data.filename, result.data.text);
    else setProblem(result.error.message);
  }
  return (
    <span>
      <ActionButton onClick={() => void download()} busy={busy} busyLabel={busyLabel} testId={testId}>
        {label}
      </ActionButton>
      {problem && (
        <span class="ol-field-error" role="alert">
          {' '}
          {problem}
        </span>
      )}
    </span>
  );
}
