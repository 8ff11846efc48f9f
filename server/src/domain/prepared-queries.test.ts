import { expect, it } from 'vitest';
import { openDatabase } from '../db/database.ts';
import { teams } from '../db/schema.ts';
import { createInvite, ensureFirstTeam, findCaller, redeemInvite, revokeToken } from './teams/team-service.ts';

function databaseWithMember() {
  const db = openDatabase(':memory:');
  ensureFirstTeam(db);
  const team = db.select().from(teams).get();
  if (!team) throw new Error('ensureFirstTeam made no team');
  const { code } = createInvite(db, { teamId: team.id, role: 'viewer', createdBy: null });
  const { token } = redeemInvite(db, { code, displayName: 'Viewer' });
  return { db, token, teamId: team.id };
}

it('keeps one compiled query per database: each answers from its own file, and a closed one does not matter', () => {
  const first = databaseWithMember();
  const second = databaseWithMember();
  expect(findCaller(first.db, first.token)?.teamId).toBe(first.teamId);
  expect(findCaller(second.db, second.token)?.teamId).toBe(second.teamId);
  expect(findCaller(second.db, first.token)).toBeUndefined();
  first.db.$client.close();
  expect(findCaller(second.db, second.token)?.role).toBe('viewer');
  second.db.$client.close();
});

it('sees a revoked token at once, though the lookup is compiled only once', () => {
  const { db, token } = databaseWithMember();
  const caller = findCaller(db, token);
  expect(caller).toBeDefined();
  revokeToken(db, caller?.tokenId ?? '');
  expect(findCaller(db, token)).toBeUndefined();
  db.$client.close();
});
