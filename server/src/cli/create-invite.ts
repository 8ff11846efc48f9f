// `npm run invite -- [--role admin|viewer|owner]`: prints a new invite code for the team (or the only team).
import { parseArgs } from 'node:util';
import type { Role } from '@orglink/shared';
import { openDatabase } from '../db/database.ts';
import { teams } from '../db/schema.ts';
import { createInvite } from '../domain/teams/team-service.ts';
import { StartupError } from '../http-errors.ts';
import { ConfigError, loadConfig } from '../plugins/config.ts';

function fail(message: string): never {
  process.stderr.write(`orglink invite: ${message}\n`);
  process.exit(1);
}

const ROLES: Role[] = ['owner', 'admin', 'viewer'];
let values: { role?: string | undefined; team?: string | undefined };
try {
  ({ values } = parseArgs({ options: { role: { type: 'string' }, team: { type: 'string' } } }));
} catch (error) {
  fail(`${(error as Error).message}. Usage: npm run invite -- [--role admin|viewer|owner] [--team <team id>]`);
}
const role = (values.role ?? 'admin') as Role;
if (!ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')} (got "${values.role}").`);

try {
  const config = loadConfig(process.env);
  const db = openDatabase(config.databasePath);
  const allTeams = db.select().from(teams).all();
  const team = values.team ? allTeams.find((candidate) => candidate.id === values.team) : allTeams[0];
  if (!team)
    fail(values.team ? `no team with id ${values.team}.` : 'there is no team yet: run `npm start` once to create it.');
  if (!values.team && allTeams.length > 1) fail(`there are ${allTeams.length} teams: choose one with --team <id>.`);
  const invite = createInvite(db, { teamId: team.id, role, createdBy: null });
  db.$client.close();
  process.stdout.write(`Invite for ${team.name} (${invite.role}), valid until ${invite.expiresAt}:\n${invite.code}\n`);
} catch (error) {
  if (error instanceof ConfigError || error instanceof StartupError) fail(error.message);
  throw error;
}
