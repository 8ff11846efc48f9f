import {
  type CreateScenarioRequest,
  type DcObject,
  DEFAULT_DC_THRESHOLD,
  MATCH_METHODS,
  type MatchMethod,
} from '@orglink/shared';

export interface ScenarioRow {
  field: string;
  method: MatchMethod;
  weight: string;
}

export interface ScenarioForm {
  name: string;
  threshold: string;
  rows: ScenarioRow[];
}

export type ScenarioErrors = { name?: string; threshold?: string; rows?: string; form?: string };

export const EMPTY_ROW: ScenarioRow = { field: '', method: 'jaro-winkler', weight: '10' };

export function emptyScenarioForm(): ScenarioForm {
  return { name: '', threshold: String(DEFAULT_DC_THRESHOLD), rows: [{ ...EMPTY_ROW }] };
}

/** Lead against Contact compares Lead fields with the Contact fields of the same name; describe reads the Lead. */
export function describedObject(object: DcObject): string {
  return object === 'Lead-Contact' ? 'Lead' : object;
}

/** The method a field type suggests, so a new row starts sensible: e-mail and phone fields have their own. */
export function suggestedMethod(fieldType: string | undefined): MatchMethod {
  if (fieldType === 'email') return 'email';
  if (fieldType === 'phone') return 'phone';
  return 'jaro-winkler';
}

export function buildScenarioRequest(
  object: DcObject,
  form: ScenarioForm,
): { ok: true; request: CreateScenarioRequest } | { ok: false; errors: ScenarioErrors } {
  const errors: ScenarioErrors = {};
  const name = form.name.trim();
  if (!name) errors.name = 'Give the scenario a name, such as "Contacts: name and phone".';
  else if (name.length > 80) errors.name = 'Keep the name to 80 characters.';
  const threshold = Number(form.threshold);
  if (form.threshold.trim() === '' || !Number.isFinite(threshold) || threshold < 0 || threshold > 100) {
    errors.threshold = 'Type a threshold from 0 to 100 (percent); 75 is the usual.';
  }
  const rows = form.rows.filter((row) => row.field !== '');
  const rowProblems: string[] = [];
  if (rows.length === 0) rowProblems.push('Pick at least one field to compare.');
  if (rows.length > 20) rowProblems.push('Compare at most 20 fields.');
  for (const row of rows) {
    const weight = Number(row.weight);
    if (!Number.isInteger(weight) || weight < 1 || weight > 100) {
      rowProblems.push(`The weight of ${row.field} must be a whole number from 1 to 100.`);
    }
    if (!MATCH_METHODS.includes(row.method)) rowProblems.push(`Pick a method for ${row.field}.`);
  }
  if (rowProblems.length > 0) errors.rows = rowProblems.join(' ');
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: {
      name,
      object,
      threshold,
      rules: rows.map((row) => ({ field: row.field, method: row.method, weight: Number(row.weight) })),
    },
  };
}
