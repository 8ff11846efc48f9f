import type { Connection } from '@orglink/shared';
import { StatusPill } from '../../ui/status-pill.tsx';
import { connectionStatusPill, connectionTypeLabel } from './describe-connection.ts';
import { detailsHref } from './hash-route.ts';

/** The list of the team's connections: each name opens its details. */
export function ConnectionTable({ connections }: { connections: Connection[] }) {
  return (
    <table class="ol-table" data-testid="connection-table">
      <caption class="ol-visually-hidden">Your team's connections</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">Org ID / Environment ID</th>
          <th scope="col">Status</th>
          <th scope="col">Last status reason</th>
        </tr>
      </thead>
      <tbody>
        {connections.map((connection) => {
          const pill = connectionStatusPill(connection.status);
          return (
            <tr key={connection.id} data-connection-id={connection.id}>
              <th scope="row">
                <a href={detailsHref(connection.id)} class="ol-table__name">
                  {connection.name}
                </a>
                {connection.description && <div class="ol-table__sub">{connection.description}</div>}
              </th>
              <td>{connectionTypeLabel(connection)}</td>
              <td>
                <code>{connection.orgId ?? '—'}</code>
              </td>
              <td>
                <StatusPill tone={pill.tone}>{pill.label}</StatusPill>
              </td>
              <td class="ol-table__reason">{connection.statusReason ?? '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
