import { useState } from 'preact/hooks';
import { describeBadge, type ReauthorizeResult, type VisibleBadgeStatus } from './org-badge-status.ts';
import type { RecordMatch } from './record-duplicates-status.ts';
import { possibleDuplicatesText, RecordDuplicates } from './record-duplicates-view.tsx';

export interface OrgBadgeProps {
  status: VisibleBadgeStatus;
  /** Asks the background for a fresh CRM sign-in window for this connection. */
  onReauthorize: (connectionId: string) => Promise<ReauthorizeResult>;
  /** Folded to a dot so it never sits on the host app's own controls; remembered across Lightning navigation. */
  collapsed: boolean;
  onCollapsedChange: (collapsed: boolean) => void;
  /** A Salesforce record page: the record's possible duplicates, and the page they link from. */
  duplicates?: { matches: RecordMatch[]; pageUrl: URL } | undefined;
}

type ReauthorizeState =
  | { step: 'idle' }
  | { step: 'opening' }
  | { step: 'opened' }
  | { step: 'failed'; message: string };

/**
 * The in-page pill. Everything the CRM or the server says (connection names, reasons, error messages) is rendered
 * as text by Preact, never as HTML.
 */
export function OrgBadge({ status, onReauthorize, collapsed, onCollapsedChange, duplicates }: OrgBadgeProps) {
  const [reauthorize, setReauthorize] = useState<ReauthorizeState>({ step: 'idle' });
  const description = describeBadge(status);
  const connectionId = status.state === 'connected' ? status.connection.id : undefined;
  const duplicateCount = duplicates?.matches.length ?? 0;

  if (collapsed) {
    const label =
      duplicateCount > 0 ? `${description.text}; ${possibleDuplicatesText(duplicateCount)}` : description.text;
    return (
      <button
        type="button"
        class={`ol-badge ol-badge--collapsed ol-badge--${description.tone}`}
        aria-label={`Show the OrgLink badge: ${label}`}
        title={label}
        data-testid="orglink-badge-expand"
        onClick={() => onCollapsedChange(false)}
      >
        <span class="ol-badge__dot" />
      </button>
    );
  }

  const startReauthorize = async () => {
    if (!connectionId) return;
    setReauthorize({ step: 'opening' });
    const result = await onReauthorize(connectionId);
    setReauthorize(result.opened ? { step: 'opened' } : { step: 'failed', message: result.message });
  };

  return (
    <div
      class={`ol-badge ol-badge--${description.tone}`}
      role="status"
      data-testid="orglink-badge"
      data-state={status.state === 'connected' ? status.connection.status : status.state}
    >
      <span class="ol-badge__dot" />
      <span class="ol-badge__text" data-testid="orglink-badge-text">
        {description.text}
      </span>
      {description.offerReauthorize && connectionId && (
        <button
          type="button"
          class="ol-badge__action"
          data-testid="orglink-badge-reauthorize"
          disabled={reauthorize.step === 'opening'}
          onClick={startReauthorize}
        >
          {reauthorize.step === 'opening' ? 'Opening sign-in…' : 'Re-authorize'}
        </button>
      )}
      {description.offerReauthorize && reauthorize.step === 'opened' && (
        <span class="ol-badge__note" data-testid="orglink-badge-note">
          Finish the sign-in in the window that opened.
        </span>
      )}
      {reauthorize.step === 'failed' && (
        <span class="ol-badge__note ol-badge__note--error" role="alert" data-testid="orglink-badge-note">
          {reauthorize.message}
        </span>
      )}
      <button
        type="button"
        class="ol-badge__collapse"
        aria-label="Fold the OrgLink badge away"
        title="Fold away"
        onClick={() => onCollapsedChange(true)}
      >
        ×
      </button>
      {duplicates && <RecordDuplicates matches={duplicates.matches} pageUrl={duplicates.pageUrl} />}
    </div>
  );
}
