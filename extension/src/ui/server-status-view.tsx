import type { ComponentChildren } from 'preact';
import { describeServerStatus, type ServerStatus } from '../api/server-status.ts';

interface Props {
  /** Undefined while the first check is under way. */
  status: ServerStatus | undefined;
  /** Shown under the detail, for example a link to Settings when the server cannot be reached. */
  children?: ComponentChildren;
}

/** The companion API's state as one line with a coloured dot and the reason underneath. */
export function ServerStatusView({ status, children }: Props) {
  if (!status) {
    return (
      <div class="ol-status ol-status--checking" role="status" aria-busy="true">
        <span class="ol-status__dot" />
        <div class="ol-status__headline">Checking the OrgLink server…</div>
      </div>
    );
  }
  const modifier = status.state === 'unreachable' ? 'unreachable' : status.databaseOk ? 'connected' : 'degraded';
  return (
    <div class={`ol-status ol-status--${modifier}`} role="status" data-state={status.state}>
      <span class="ol-status__dot" />
      <div>
        <div class="ol-status__headline" data-testid="server-status">
          {describeServerStatus(status)}
        </div>
        <div class="ol-status__detail">{status.problem ?? status.url}</div>
        {children}
      </div>
    </div>
  );
}
