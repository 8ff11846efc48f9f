import { type Static, Type } from 'typebox';
import { Connection } from './connections.ts';
import { Job } from './jobs.ts';

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

export const ServerEvent = Type.Union([ConnectionChangedEvent, ConnectionDeletedEvent, JobChangedEvent]);
export type ServerEvent = Static<typeof ServerEvent>;
