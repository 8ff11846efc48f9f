import type { Connection, ConnectionEnvironment } from '@orglink/shared';
import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { OrgLinkDatabase } from '../../db/database.ts';
import { connections, users } from '../../db/schema.ts';
import { preparedPerDatabase, preparedPerShape } from '../prepared-queries.ts';

export type ConnectionRow = typeof connections.$inferSelect;

const creator = alias(users, 'creator');
const dpaUser = alias(users, 'dpa_user');

function selectConnections(db: OrgLinkDatabase, where: SQL | undefined) {
  return db
    .select({ row: connections, createdByName: creator.displayName, dpaAcceptedByName: dpaUser.displayName })
    .from(connections)
    .innerJoin(creator, eq(creator.id, connections.createdBy))
    .leftJoin(dpaUser, eq(dpaUser.id, connections.dpaAcceptedBy))
    .where(where);
}

/** The API's view of a row: names instead of user ids, and never the credentials. */
function toConnection({
  row,
  createdByName,
  dpaAcceptedByName,
}: {
  row: ConnectionRow;
  createdByName: string;
  dpaAcceptedByName: string | null;
}): Connection {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    kind: row.kind,
    environment: row.environment as ConnectionEnvironment,
    loginHost: row.loginHost,
    orgId: row.externalOrgId,
    orgName: row.orgName,
    instanceUrl: row.instanceUrl,
    status: row.status,
    statusReason: row.statusReason,
    autoRunDuplicateCheck: row.autoRunDuplicateCheck,
    linkedProductionId: row.linkedProductionId,
    createdBy: createdByName,
    createdAt: row.createdAt,
    dpaAcceptedBy: row.dpaAcceptedBy ? (dpaAcceptedByName ?? '') : null,
    dpaAcceptedAt: row.dpaAcceptedAt,
    ...(row.pendingOrgId ? { pendingOrgId: row.pendingOrgId } : {}),
    ...(row.deletedAt ? { deletedAt: row.deletedAt } : {}),
    authMethod: row.authMethod,
  };
}

const teamConnectionRow = preparedPerDatabase((db) =>
  db
    .select()
    .from(connections)
    .where(and(eq(connections.id, sql.placeholder('id')), eq(connections.teamId, sql.placeholder('teamId'))))
    .prepare(),
);

const connectionById = preparedPerDatabase((db) =>
  selectConnections(db, eq(connections.id, sql.placeholder('id'))).prepare(),
);

const teamConnections = preparedPerShape((db, shape) => {
  const team = eq(connections.teamId, sql.placeholder('teamId'));
  return selectConnections(db, shape === 'with-deleted' ? team : and(team, isNull(connections.deletedAt)))
    .orderBy(asc(connections.createdAt), asc(connections.name))
    .prepare();
});

/** A row of the team, deleted or not; another team's id is simply not found. */
export function findConnectionRow(db: OrgLinkDatabase, teamId: string, id: string): ConnectionRow | undefined {
  return teamConnectionRow(db).get({ id, teamId });
}

export function connectionRowById(db: OrgLinkDatabase, id: string): ConnectionRow | undefined {
  return db.select().from(connections).where(eq(connections.id, id)).get();
}

export function loadConnection(db: OrgLinkDatabase, id: string): Connection | undefined {
  const found = connectionById(db).get({ id });
  return found && toConnection(found);
}

export function listConnections(db: OrgLinkDatabase, teamId: string, includeDeleted: boolean): Connection[] {
  return teamConnections(db, includeDeleted ? 'with-deleted' : 'live')
    .all({ teamId })
    .map(toConnection);
}

/** A live connection of the team with this name, compared case-insensitively (what an admin would call "the same"). */
export function liveConnectionNamed(db: OrgLinkDatabase, teamId: string, name: string): ConnectionRow | undefined {
  return db
    .select()
    .from(connections)
    .where(
      and(
        eq(connections.teamId, teamId),
        isNull(connections.deletedAt),
        sql`lower(${connections.name}) = lower(${name})`,
      ),
    )
    .get();
}

/** The live connection (any team) that holds this org; at most one exists (a unique index says so). */
export function liveConnectionForOrg(db: OrgLinkDatabase, orgId: string): ConnectionRow | undefined {
  return db
    .select()
    .from(connections)
    .where(and(isNull(connections.deletedAt), sql`lower(${connections.externalOrgId}) = lower(${orgId})`))
    .get();
}

/**
 * The team's connection for the org a CRM page belongs to. A Salesforce page knows only the 15-character prefix
 * (from the sid cookie), which is case-sensitive; 18-character ids and Dynamics GUIDs compare case-insensitively.
 * A refreshed sandbox waiting for confirmation is found by its new Org ID too, so its page can say so.
 */
export function lookupConnectionForOrg(db: OrgLinkDatabase, teamId: string, orgId: string): Connection | undefined {
  const matches = (column: typeof connections.externalOrgId | typeof connections.pendingOrgId) =>
    orgId.length === 15 ? sql`substr(${column}, 1, 15) = ${orgId}` : sql`lower(${column}) = lower(${orgId})`;
  const found = selectConnections(
    db,
    and(
      eq(connections.teamId, teamId),
      isNull(connections.deletedAt),
      sql`(${matches(connections.externalOrgId)} or ${matches(connections.pendingOrgId)})`,
    ),
  )
    .orderBy(sql`case when ${matches(connections.externalOrgId)} then 0 else 1 end`)
    .get();
  return found && toConnection(found);
}
