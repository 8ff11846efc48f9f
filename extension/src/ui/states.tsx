import type { ComponentChildren } from 'preact';

/** Grey bars where rows will be, so the page keeps its shape while it loads; announced once to screen readers. */
export function LoadingRows({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <div class="ol-skeleton" role="status" aria-busy="true" data-testid="loading">
      <span class="ol-visually-hidden">{label}</span>
      {Array.from({ length: rows }, (_, index) => (
        <div class="ol-skeleton__row" key={index} aria-hidden="true">
          <span class="ol-skeleton__bar ol-skeleton__bar--wide" />
          <span class="ol-skeleton__bar" />
          <span class="ol-skeleton__bar ol-skeleton__bar--narrow" />
        </div>
      ))}
    </div>
  );
}

/** Nothing here yet: says so, and offers the way to start. */
export function EmptyState({
  title,
  children,
  testId,
}: {
  title: string;
  children?: ComponentChildren;
  testId?: string;
}) {
  return (
    <section class="ol-state ol-state--empty" data-testid={testId}>
      <h2 class="ol-state__title">{title}</h2>
      {children}
    </section>
  );
}

/** A failure in the server's own words, with a way to try again. */
export function ErrorState({
  title,
  message,
  onRetry,
  testId,
}: {
  title: string;
  message: string;
  onRetry?: () => void;
  testId?: string;
}) {
  return (
    <section class="ol-state ol-state--error" role="alert" data-testid={testId}>
      <h2 class="ol-state__title">{title}</h2>
      <p class="ol-state__message">{message}</p>
      {onRetry && (
        <button type="button" class="ol-button ol-button--secondary" onClick={onRetry}>
          Retry
        </button>
      )}
    </section>
  );
}
