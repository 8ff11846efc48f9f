import { type Static, Type } from 'typebox';
import { Connection } from './connections.ts';
import { Integration } from './integrations.ts';
import { Job } from './jobs.ts';
import { JobRun } from './runs.ts';

/** What `GET /api/events` (Server-Sent Events) pushes to the extension's background: `event: <type>`, `data: <json>`. */
export const ConnectionChangedEvent = Type.Object({
  type: Type.Literal('connection.changed'),
  connection: Connection,
});
export const ConnectionDeletedEvent = Type.Object({
  type: Type.Literal('connection.deleted'),
  connectionId: Type.String(),
});
export const JobChangedEvent = Type.Object({ type: Type.Literal('job.changed'), job: Job });

/** A run was queued, progressed (at most a few times a second), or ended. */
export const RunChangedEvent = Type.Object({ type: Type.Literal('run.changed'), run: JobRun });
export const IntegrationChangedEvent = Type.Object({
  type: Type.Literal('integration.changed'),
  integration: Integration,
});
export const IntegrationDeletedEvent = Type.Object({
  type: Type.Literal('integration.deleted'),
  integrationId: Type.String(),
});

export const ServerEvent = Type.Union([
  ConnectionChangedEvent,
  ConnectionDeletedEvent,
  JobChangedEvent,
  RunChangedEvent,
  IntegrationChangedEvent,
  IntegrationDeletedEvent,
]);
export type ServerEvent = Static<typeof ServerEvent>;
