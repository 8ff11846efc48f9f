import type { ComponentChildren } from 'preact';

interface Props {
  children: ComponentChildren;
  onClick?: () => void;
  variant?: 'primary' | 'secondary' | 'danger';
  type?: 'button' | 'submit';
  /** Shown instead of the label while the action runs; the button cannot be pressed twice. */
  busyLabel?: string | undefined;
  busy?: boolean;
  /**
   * Why this person may not do this (a viewer, for example). The button stays focusable and says why in its
   * tooltip, where a plain disabled button would be skipped by the keyboard and say nothing.
   */
  deniedReason?: string | undefined;
  testId?: string;
  describedBy?: string;
}

export function ActionButton({
  children,
  onClick,
  variant = 'secondary',
  type = 'button',
  busy = false,
  busyLabel,
  deniedReason,
  testId,
  describedBy,
}: Props) {
  const unavailable = busy || deniedReason !== undefined;
  const handleClick = (event: MouseEvent) => {
    if (unavailable) {
      event.preventDefault();
      return;
    }
    onClick?.();
  };
  return (
    <button
      type={type}
      class={`ol-button ol-button--${variant}${deniedReason ? ' ol-button--denied' : ''}`}
      aria-disabled={unavailable ? 'true' : undefined}
      aria-busy={busy ? 'true' : undefined}
      aria-describedby={describedBy}
      title={deniedReason}
      data-testid={testId}
      onClick={handleClick}
    >
      {busy && busyLabel ? busyLabel : children}
    </button>
  );
}
