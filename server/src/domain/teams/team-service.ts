import { randomUUID } from 'node:crypto';
import type { InviteCreated, Me, Role } from '@orglink/shared';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { OrgLinkDatabase } from '../../db/database.ts';
import { apiTokens, invites, memberships, teams, users } from '../../db/schema.ts';
import { ApiError } from '../../http-errors.ts';
import { preparedPerDatabase } from '../prepared-queries.ts';
import { hashSecret, newApiToken, newInviteCode } from './tokens.ts';

export const INVITE_LIFETIME_MS = 2 * 24 * 60 * 60 * 1000;

/** Who is calling: resolved from the bearer token on every request. */
export interface Caller {
  userId: string;
  displayName: string;
  teamId: string;
  teamName: string;
  role: Role;
  tokenId: string;
}

export function createInvite(
  db: OrgLinkDatabase,
  input: { teamId: string; role: Role; createdBy: string | null; now?: Date },
): InviteCreated {
  const now = input.now ?? new Date();
  const code = newInviteCode();
  const expiresAt = new Date(now.getTime() + INVITE_LIFETIME_MS).toISOString();
  db.insert(invites)
    .values({
      id: randomUUID(),
      teamId: input.teamId,
      role: input.role,
      codeHash: hashSecret(code),
      createdBy: input.createdBy,
      createdAt: now.toISOString(),
      expiresAt,
    })
    .run();
  return { code, role: input.role, expiresAt };
}

/**
 * The first start of a fresh installation makes a team and an owner invite, so that the admin who ran `npm start`
 * can join. Returns the invite only when it made one: later starts print nothing.
 */
export function ensureFirstTeam(db: OrgLinkDatabase, teamName = 'My team'): InviteCreated | undefined {
  return db.transaction((tx) => {
    if (tx.select({ id: teams.id }).from(teams).limit(1).get()) return undefined;
    const teamId = randomUUID();
    tx.insert(teams).values({ id: teamId, name: teamName }).run();
    return createInvite(tx as unknown as OrgLinkDatabase, { teamId, role: 'owner', createdBy: null });
  });
}

/** An invite works once and for two days; redeeming it makes the user, the membership and their API token. */
export function redeemInvite(
  db: OrgLinkDatabase,
  input: { code: string; displayName: string; now?: Date },
): { token: string; me: Me } {
  const now = input.now ?? new Date();
  return db.transaction((tx) => {
    const invite = tx
      .select()
      .from(invites)
      .where(eq(invites.codeHash, hashSecret(input.code)))
      .get();
    if (!invite) {
      throw new ApiError(
        404,
        'INVITE_NOT_FOUND',
        'This invite code is not valid. Check that it was copied whole, or ask for a new one.',
      );
    }
    if (invite.redeemedAt) {
      throw new ApiError(
        410,
        'INVITE_USED',
        'This invite has already been used. Ask a team owner or admin for a new one.',
      );
    }
    if (invite.expiresAt <= now.toISOString()) {
      throw new ApiError(410, 'INVITE_EXPIRED', 'This invite has expired (invites last two days). Ask for a new one.');
    }
    const userId = randomUUID();
    const displayName = input.displayName.trim();
    if (!displayName) throw new ApiError(400, 'VALIDATION_FAILED', 'Enter your name as your teammates will see it.');
    tx.insert(users).values({ id: userId, displayName, createdAt: now.toISOString() }).run();
    tx.insert(memberships)
      .values({ teamId: invite.teamId, userId, role: invite.role, createdAt: now.toISOString() })
      .run();
    const claimed = tx
      .update(invites)
      .set({ redeemedAt: now.toISOString(), redeemedBy: userId })
      .where(and(eq(invites.id, invite.id), isNull(invites.redeemedAt)))
      .run();
    if (claimed.changes !== 1) throw new ApiError(410, 'INVITE_USED', 'This invite has already been used.');
    const token = newApiToken();
    tx.insert(apiTokens)
      .values({
        id: randomUUID(),
        teamId: invite.teamId,
        userId,
        tokenHash: hashSecret(token),
        createdAt: now.toISOString(),
      })
      .run();
    const team = tx.select().from(teams).where(eq(teams.id, invite.teamId)).get();
    return {
      token,
      me: { user: { id: userId, displayName }, team: { id: invite.teamId, name: team?.name ?? '' }, role: invite.role },
    };
  });
}

const callerByTokenHash = preparedPerDatabase((db) =>
  db
    .select({
      tokenId: apiTokens.id,
      userId: users.id,
      displayName: users.displayName,
      teamId: teams.id,
      teamName: teams.name,
      role: memberships.role,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .innerJoin(teams, eq(teams.id, apiTokens.teamId))
    .innerJoin(memberships, and(eq(memberships.teamId, apiTokens.teamId), eq(memberships.userId, apiTokens.userId)))
    .where(and(eq(apiTokens.tokenHash, sql.placeholder('tokenHash')), isNull(apiTokens.revokedAt)))
    .prepare(),
);

/** The caller behind a bearer token, or undefined when it is unknown or revoked. Runs on every request. */
export function findCaller(db: OrgLinkDatabase, token: string): Caller | undefined {
  return callerByTokenHash(db).get({ tokenHash: hashSecret(token) });
}

const tokenRevokedAt = preparedPerDatabase((db) =>
  db
    .select({ revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(eq(apiTokens.id, sql.placeholder('tokenId')))
    .prepare(),
);

/** Whether a token still works (not revoked): checked by long-lived requests such as the event stream. */
export function isTokenActive(db: OrgLinkDatabase, tokenId: string): boolean {
  const row = tokenRevokedAt(db).get({ tokenId });
  return Boolean(row && !row.revokedAt);
}

/**
 * Whether the sign-in behind `tokenId` may still change the team's connections: its token is not revoked and its
 * user is still an admin or owner of `teamId`. Checked at every step of a CRM sign-in, which outlives the request
 * that started it.
 */
export function mayStillAdminister(db: OrgLinkDatabase, tokenId: string, teamId: string): boolean {
  const row = db
    .select({ role: memberships.role })
    .from(apiTokens)
    .innerJoin(memberships, and(eq(memberships.teamId, apiTokens.teamId), eq(memberships.userId, apiTokens.userId)))
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.teamId, teamId), isNull(apiTokens.revokedAt)))
    .get();
  return row?.role === 'admin' || row?.role === 'owner';
}

export function revokeToken(db: OrgLinkDatabase, tokenId: string) {
  db.update(apiTokens).set({ revokedAt: new Date().toISOString() }).where(eq(apiTokens.id, tokenId)).run();
}

export function describeCaller(caller: Caller): Me {
  return {
    user: { id: caller.userId, displayName: caller.displayName },
    team: { id: caller.teamId, name: caller.teamName },
    role: caller.role,
  };
}
