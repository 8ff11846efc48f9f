import { type Static, Type } from 'typebox';

export const DatabaseHealth = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  migrationsApplied: Type.Integer({ minimum: 0, description: 'How many schema migrations this database has.' }),
  message: Type.Optional(Type.String({ description: 'Why the database is unavailable.' })),
});
export type DatabaseHealth = Static<typeof DatabaseHealth>;

/** `GET /api/health`. `service` lets a client tell an OrgLink server from any other server on that address. */
export const HealthResponse = Type.Object(
  {
    service: Type.Literal('orglink'),
    status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
    version: Type.String({ description: 'The server version, such as 0.1.0.' }),
    uptimeSeconds: Type.Number({ minimum: 0 }),
    database: DatabaseHealth,
  },
  { title: 'Health' },
);
export type HealthResponse = Static<typeof HealthResponse>;
