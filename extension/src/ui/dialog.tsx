import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

interface Props {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  /** CSS selector of the element to focus when the dialog opens; otherwise the first field or button. */
  initialFocus?: string;
  testId?: string;
}

/**
 * A modal dialog on the native <dialog> element: showModal() makes the rest of the page inert and keeps Tab inside,
 * and Escape closes it. Focus goes to the first field on opening and back to what opened it on closing.
 */
export function Dialog({ open, title, onClose, children, initialFocus, testId }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
      const target =
        (initialFocus ? dialog.querySelector<HTMLElement>(initialFocus) : null) ??
        dialog.querySelector<HTMLElement>('input, select, textarea, button:not(.ol-dialog__close)');
      target?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open, initialFocus]);

  const handleClose = () => {
    const previous = opener.current;
    opener.current = null;
    if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
    if (open) onClose();
  };

  return (
    <dialog ref={ref} class="ol-dialog" aria-labelledby={titleId} onClose={handleClose} data-testid={testId}>
      <header class="ol-dialog__header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="ol-dialog__close" aria-label="Close" onClick={() => ref.current?.close()}>
          ×
        </button>
      </header>
      {open && children}
    </dialog>
  );
}
