import { randomUUID } from 'node:crypto';
import {
  type CreateScenarioRequest,
  DC_OBJECT_LABELS,
  DcErrorCode,
  type DcObject,
  DEFAULT_DC_THRESHOLD,
  MATCH_METHODS,
  type Scenario,
  type ScenarioRule,
  type UpdateScenarioRequest,
} from '@orglink/shared';
import { and, asc, eq, ne } from 'drizzle-orm';
import type { OrgLinkDatabase } from '../../db/database.ts';
import { dcScenarios, jobs } from '../../db/schema.ts';
import { ApiError } from '../../http-errors.ts';
import type { Caller } from '../teams/team-service.ts';
import {
  BUILT_IN_SCENARIOS,
  builtInScenario,
  type DcSObject,
  defaultScenariosFor,
  objectsOf,
  STANDARD_FIELDS,
} from './default-scenarios.ts';
import { isMatchMethod } from './matching/methods.ts';

type ScenarioRow = typeof dcScenarios.$inferSelect;
export type StoredRule = Required<Pick<ScenarioRule, 'field' | 'method' | 'weight'>> & { contactField?: string };

const DEFAULT_WEIGHT = 10;
const CUSTOM_FIELD = /^[A-Za-z][A-Za-z0-9_]{0,76}__c$/;

function toScenario(row: ScenarioRow): Scenario {
  return {
    id: row.id,
    name: row.name,
    object: row.object,
    rules: row.rules as StoredRule[],
    threshold: row.threshold,
    builtIn: false,
    createdAt: row.createdAt,
  };
}

const invalid = (message: string, details?: unknown) =>
  new ApiError(400, DcErrorCode.ScenarioInvalid, message, details);

function checkField(object: DcSObject, field: string, at: number) {
  if (STANDARD_FIELDS[object].includes(field) || CUSTOM_FIELD.test(field)) return;
  throw invalid(
    `Rule ${at + 1}: "${field}" is not a ${object} field a scenario can compare. Use one of ${STANDARD_FIELDS[object].join(', ')}, or a custom field (API name ending in __c).`,
    { rule: at, field },
  );
}

/** Checks rules and threshold; returns them normalised (weights filled in). Every problem names what to fix. */
export function validateScenario(object: DcObject, rules: ScenarioRule[], threshold: number | undefined) {
  if (threshold !== undefined && !(Number.isFinite(threshold) && threshold >= 0 && threshold <= 100)) {
    throw invalid(
      `The threshold is a percentage from 0 to 100 (two records are duplicates from this score on; 75 is usual); ${threshold} is outside it.`,
      { threshold },
    );
  }
  const normalised: StoredRule[] = rules.map((rule, at) => {
    if (!isMatchMethod(rule.method)) {
      throw invalid(
        `Rule ${at + 1} (${rule.field}): "${rule.method}" is not a matching method. Use one of ${MATCH_METHODS.join(', ')}.`,
        { rule: at, method: rule.method },
      );
    }
    // A rule names a field of each object read: both sides of Lead-Contact.
    const [first, second] = objectsOf(object);
    checkField(first, rule.field, at);
    if (rule.contactField !== undefined) {
      if (!second) {
        throw invalid(`Rule ${at + 1}: contactField is for Lead-Contact scenarios only; remove it.`, { rule: at });
      }
      checkField(second, rule.contactField, at);
    } else if (second) checkField(second, rule.field, at);
    return {
      field: rule.field,
      method: rule.method,
      weight: rule.weight ?? DEFAULT_WEIGHT,
      ...(rule.contactField !== undefined ? { contactField: rule.contactField } : {}),
    };
  });
  const seen = new Set<string>();
  for (const rule of normalised) {
    const key = `${rule.field}|${rule.contactField ?? ''}|${rule.method}`;
    if (seen.has(key)) throw invalid(`${rule.field} is compared by ${rule.method} twice. Keep one of the two rules.`);
    seen.add(key);
  }
  return { rules: normalised, threshold: threshold ?? DEFAULT_DC_THRESHOLD };
}

export function listScenarios(db: OrgLinkDatabase, teamId: string, object?: DcObject): Scenario[] {
  const own = db
    .select()
    .from(dcScenarios)
    .where(
      object ? and(eq(dcScenarios.teamId, teamId), eq(dcScenarios.object, object)) : eq(dcScenarios.teamId, teamId),
    )
    .orderBy(asc(dcScenarios.name))
    .all()
    .map(toScenario);
  return [...BUILT_IN_SCENARIOS.filter((scenario) => !object || scenario.object === object), ...own];
}

/** A built-in scenario, or one of the team's; 404 for anything else (another team's included). */
export function findScenario(db: OrgLinkDatabase, teamId: string, id: string): Scenario {
  const builtIn = builtInScenario(id);
  if (builtIn) return builtIn;
  const row = db
    .select()
    .from(dcScenarios)
    .where(and(eq(dcScenarios.id, id), eq(dcScenarios.teamId, teamId)))
    .get();
  if (!row) {
    throw new ApiError(
      404,
      DcErrorCode.ScenarioNotFound,
      `There is no scenario "${id}" in your team. List them with GET /api/dc/scenarios.`,
    );
  }
  return toScenario(row);
}

function nameTaken(db: OrgLinkDatabase, teamId: string, name: string, except?: string) {
  const row = db
    .select({ id: dcScenarios.id })
    .from(dcScenarios)
    .where(and(eq(dcScenarios.teamId, teamId), eq(dcScenarios.name, name)))
    .get();
  if ((row && row.id !== except) || BUILT_IN_SCENARIOS.some((scenario) => scenario.name === name)) {
    throw new ApiError(
      409,
      DcErrorCode.ScenarioInvalid,
      `A scenario named "${name}" exists already. Pick another name.`,
    );
  }
}

/** What a job on `object` applies: the named scenarios (each the team's or built in, and for that object), or the
 * object's built-in ones when it names none. */
export function scenariosForJob(
  db: OrgLinkDatabase,
  teamId: string,
  object: DcObject,
  scenarioIds: readonly string[] | undefined,
): Scenario[] {
  if (!scenarioIds?.length) return defaultScenariosFor(object);
  return [...new Set(scenarioIds)].map((id) => {
    const scenario = findScenario(db, teamId, id);
    if (scenario.object !== object) {
      throw invalid(
        `The scenario "${scenario.name}" is for ${DC_OBJECT_LABELS[scenario.object]}, not ${DC_OBJECT_LABELS[object]}. Pick scenarios for ${DC_OBJECT_LABELS[object]}.`,
      );
    }
    return scenario;
  });
}

export function createScenario(db: OrgLinkDatabase, caller: Caller, input: CreateScenarioRequest): Scenario {
  const name = input.name.trim();
  if (!name) throw invalid('Give the scenario a name of 1 to 80 characters.');
  const { rules, threshold } = validateScenario(input.object, input.rules, input.threshold);
  nameTaken(db, caller.teamId, name);
  const row = db
    .insert(dcScenarios)
    .values({
      id: `dcs_${randomUUID()}`,
      teamId: caller.teamId,
      name,
      object: input.object,
      rules,
      threshold,
      createdBy: caller.userId,
      createdAt: new Date().toISOString(),
    })
    .returning()
    .get();
  return toScenario(row);
}

function ownScenario(db: OrgLinkDatabase, teamId: string, id: string): Scenario {
  const scenario = findScenario(db, teamId, id);
  if (scenario.builtIn) {
    throw new ApiError(
      409,
      DcErrorCode.ScenarioReadOnly,
      `"${scenario.name}" ships with OrgLink and cannot be changed. Create your own scenario from its rules instead.`,
    );
  }
  return scenario;
}

export function updateScenario(db: OrgLinkDatabase, teamId: string, id: string, input: UpdateScenarioRequest) {
  const current = ownScenario(db, teamId, id);
  const name = input.name?.trim() ?? current.name;
  if (!name) throw invalid('Give the scenario a name of 1 to 80 characters.');
  const { rules, threshold } = validateScenario(
    current.object,
    input.rules ?? current.rules,
    input.threshold ?? current.threshold,
  );
  nameTaken(db, teamId, name, id);
  const row = db
    .update(dcScenarios)
    .set({ name, rules, threshold, updatedAt: new Date().toISOString() })
    .where(and(eq(dcScenarios.id, id), eq(dcScenarios.teamId, teamId)))
    .returning()
    .get();
  if (!row) throw new Error(`scenario ${id} vanished during update`);
  return toScenario(row);
}

/** Runs that used it keep their results (pairs carry the scenario's name); a job that still applies it blocks it. */
export function deleteScenario(db: OrgLinkDatabase, teamId: string, id: string) {
  const scenario = ownScenario(db, teamId, id);
  const users = db
    .select({ name: jobs.name, config: jobs.config })
    .from(jobs)
    .where(and(eq(jobs.teamId, teamId), eq(jobs.kind, 'duplicate-check'), ne(jobs.state, 'disabled')))
    .all()
    .filter((job) => ((job.config as { scenarioIds?: string[] }).scenarioIds ?? []).includes(id));
  if (users.length > 0) {
    throw new ApiError(
      409,
      DcErrorCode.ScenarioInUse,
      `"${scenario.name}" is applied by the Duplicate Check job${users.length > 1 ? 's' : ''} ${users.map((job) => `"${job.name}"`).join(', ')}. Change or delete ${users.length > 1 ? 'those jobs' : 'that job'} first.`,
    );
  }
  db.delete(dcScenarios)
    .where(and(eq(dcScenarios.id, id), eq(dcScenarios.teamId, teamId)))
    .run();
}
