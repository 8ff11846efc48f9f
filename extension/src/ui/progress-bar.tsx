interface Props {
  /** Records done so far. */
  value: number;
  /** Null while the total is unknown: the bar then shows activity without claiming a share. */
  max: number | null;
  /** What the bar measures, for screen readers: "Progress of Catalog sync". */
  label: string;
  /** The visible words beside it, e.g. "1,234 / 5,000 records · 210/s". */
  text: string;
}

/** A progress bar that says its numbers in words too; an unknown total shows an indeterminate bar. */
export function ProgressBar({ value, max, label, text }: Props) {
  const known = max !== null && max > 0;
  const share = known ? Math.min(100, Math.round((value / max) * 100)) : undefined;
  return (
    <div class="ol-progress" data-testid="run-progress">
      <div
        class={`ol-progress__track${known ? '' : ' ol-progress__track--indeterminate'}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? max : undefined}
        aria-valuenow={known ? Math.min(value, max) : undefined}
        aria-valuetext={text}
      >
        <div class="ol-progress__fill" style={share === undefined ? undefined : { width: `${share}%` }} />
      </div>
      <div class="ol-progress__text" data-testid="run-progress-text">
        {text}
      </div>
    </div>
  );
}
