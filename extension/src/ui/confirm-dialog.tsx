import type { ComponentChildren } from 'preact';
import { ActionButton } from './action-button.tsx';
import { Dialog } from './dialog.tsx';

interface Props {
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  busy: boolean;
  /** The server's answer when the action failed, shown in the dialog where the admin is looking. */
  error: string | undefined;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Asks before something that cannot be undone. Focus starts on Cancel, so Enter never destroys by accident. */
export function ConfirmDialog({ open, title, children, confirmLabel, busy, error, onConfirm, onCancel }: Props) {
  return (
    <Dialog open={open} title={title} onClose={onCancel} initialFocus=".ol-confirm__cancel" testId="confirm-dialog">
      <div class="ol-dialog__body">{children}</div>
      {error && (
        <p class="ol-error" role="alert">
          {error}
        </p>
      )}
      <div class="ol-dialog__actions">
        <button type="button" class="ol-button ol-button--secondary ol-confirm__cancel" onClick={onCancel}>
          Cancel
        </button>
        <ActionButton variant="danger" busy={busy} busyLabel="Working…" onClick={onConfirm} testId="confirm-button">
          {confirmLabel}
        </ActionButton>
      </div>
    </Dialog>
  );
}
