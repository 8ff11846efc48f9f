import type { ComponentChildren } from 'preact';

export type PillTone = 'ok' | 'warn' | 'error' | 'neutral' | 'pending';

interface Props {
  tone: PillTone;
  children: ComponentChildren;
  /** Longer words for the tooltip, such as the reason of a status. */
  title?: string | undefined;
}

/** A short state in a coloured capsule: a connection's status, a job's state. The words carry it, not the colour. */
export function StatusPill({ tone, children, title }: Props) {
  return (
    <span class={`ol-pill ol-pill--${tone}`} title={title} data-tone={tone}>
      {children}
    </span>
  );
}
