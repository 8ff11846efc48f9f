import type { Integration, JobRun } from '@orglink/shared';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { CatalogWidgetApi } from './catalog-widget-api.ts';
import { runBlockedReason } from './catalog-widget-model.ts';

interface Props {
  integration: Integration;
  runs: JobRun[];
  canEdit: boolean;
  api: CatalogWidgetApi;
  onEditMapping: () => void;
  onRunStarted: (run: JobRun) => void;
  onUnlinked: () => void;
}

type Feedback = { kind: 'error' | 'ok'; message: string } | undefined;

/** Run Write Job, Edit field map, Reconnect, Unlink (with confirmation; the history stays). */
export function QuickActionsTab({ integration, runs, canEdit, api, onEditMapping, onRunStarted, onUnlinked }: Props) {
  const [busy, setBusy] = useState<'run' | 'reconnect' | 'unlink'>();
  const [feedback, setFeedback] = useState<Feedback>();
  const [confirming, setConfirming] = useState(false);
  const blocked = runBlockedReason(integration, runs, canEdit);
  const reasonId = useId();
  const denied = canEdit ? undefined : 'Viewers cannot change integrations. Ask a team admin or owner.';

  async function run() {
    if (blocked || busy) return;
    setBusy('run');
    setFeedback(undefined);
    const result = await api.runIntegration(integration.id);
    setBusy(undefined);
    if (!result.ok) {
      setFeedback({ kind: 'error', message: result.error.message });
      return;
    }
    onRunStarted(result.data);
  }

  async function reconnect() {
    if (denied || busy) return;
    setBusy('reconnect');
    setFeedback(undefined);
    const result = await api.authorizeConnection(integration.connectionId);
    setBusy(undefined);
    if (!result.ok) setFeedback({ kind: 'error', message: result.error.message });
    else if (result.data.windowId === null) setFeedback({ kind: 'error', message: result.data.problem });
    else
      setFeedback({
        kind: 'ok',
        message: 'Sign in to the CRM in the window that opened; this page updates when done.',
      });
  }

  async function unlink() {
    setBusy('unlink');
    setFeedback(undefined);
    const result = await api.unlinkIntegration(integration.id);
    setBusy(undefined);
    if (!result.ok) {
      setFeedback({ kind: 'error', message: result.error.message });
      return;
    }
    setConfirming(false);
    onUnlinked();
  }

  return (
    <div class="ol-cw__actions" data-testid="orglink-quick-actions">
      <div class="ol-cw__action">
        <button
          type="button"
          class="ol-cw__primary"
          aria-disabled={blocked || busy ? 'true' : undefined}
          aria-describedby={blocked ? reasonId : undefined}
          onClick={() => void run()}
          data-testid="orglink-run-write-job"
        >
          {busy === 'run' ? 'Starting…' : 'Run Write Job'}
        </button>
        {blocked && (
          <span class="ol-cw__note" id={reasonId} data-testid="orglink-run-blocked">
            {blocked}
          </span>
        )}
      </div>
      <div class="ol-cw__action">
        <button type="button" class="ol-cw__secondary" onClick={onEditMapping} data-testid="orglink-edit-field-map">
          Edit field map
        </button>
      </div>
      <div class="ol-cw__action">
        <button
          type="button"
          class="ol-cw__secondary"
          aria-disabled={denied || busy ? 'true' : undefined}
          title={denied}
          onClick={() => void reconnect()}
          data-testid="orglink-reconnect"
        >
          {busy === 'reconnect' ? 'Opening sign-in…' : 'Reconnect'}
        </button>
        <span class="ol-cw__note">Signs in to {integration.connectionName} again.</span>
      </div>
      <div class="ol-cw__action">
        <button
          type="button"
          class="ol-cw__danger"
          aria-disabled={denied ? 'true' : undefined}
          title={denied}
          onClick={() => {
            if (!denied) setConfirming(true);
          }}
          data-testid="orglink-unlink"
        >
          Unlink
        </button>
      </div>
      {confirming && (
        <UnlinkConfirmation
          integration={integration}
          busy={busy === 'unlink'}
          onConfirm={() => void unlink()}
          onCancel={() => setConfirming(false)}
        />
      )}
      {feedback && (
        <p
          class={feedback.kind === 'error' ? 'ol-cw__field-error' : 'ol-cw__ok'}
          role={feedback.kind === 'error' ? 'alert' : 'status'}
          data-testid="orglink-action-feedback"
        >
          {feedback.message}
        </p>
      )}
    </div>
  );
}

/** Inline rather than a modal: a modal inside the host page's shadow root would fight the page's own focus handling. */
function UnlinkConfirmation({
  integration,
  busy,
  onConfirm,
  onCancel,
}: {
  integration: Integration;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div
      class="ol-cw__confirm"
      role="alertdialog"
      aria-labelledby={titleId}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
      data-testid="orglink-unlink-confirm"
    >
      <p id={titleId}>
        Unlink {integration.catalogHost} from {integration.connectionName}? Scheduled write jobs stop. The job history
        is kept, and nothing is deleted in the CRM.
      </p>
      <button type="button" class="ol-cw__secondary" ref={cancel} onClick={onCancel}>
        Cancel
      </button>
      <button
        type="button"
        class="ol-cw__danger"
        aria-disabled={busy ? 'true' : undefined}
        onClick={() => {
          if (!busy) onConfirm();
        }}
        data-testid="orglink-unlink-confirm-button"
      >
        {busy ? 'Unlinking…' : 'Unlink'}
      </button>
    </div>
  );
}
