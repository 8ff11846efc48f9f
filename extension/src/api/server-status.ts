/** What the extension knows about its companion API, as the popup and the options page show it. */
export type ServerStatus =
  | { state: 'connected'; url: string; version: string; databaseOk: boolean; problem?: string }
  | { state: 'unreachable'; url: string; problem: string };

/** The headline the popup and the options page show for a status. */
export function describeServerStatus(status: ServerStatus): string {
  return status.state === 'connected' ? `Connected to OrgLink server ${status.version}` : 'Server unreachable';
}

/** The status to show when the background itself does not answer (for example right after an extension update). */
export function backgroundUnavailable(error: unknown): Extract<ServerStatus, { state: 'unreachable' }> {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    state: 'unreachable',
    url: '',
    problem: `The extension's background did not answer (${reason}). Close and reopen this window.`,
  };
}
