import { type CreateDcJobRequest, DcErrorCode, type DcObject, JobErrorCode, type Scenario } from '@orglink/shared';
import type { ApiFailure } from '../../api/api-result.ts';

export const DC_OBJECT_CHOICES: readonly { value: DcObject; label: string }[] = [
  { value: 'Contact', label: 'Contact' },
  { value: 'Lead', label: 'Lead' },
  { value: 'Account', label: 'Account' },
  { value: 'Lead-Contact', label: 'Lead against Contact' },
];

export interface DcJobForm {
  object: DcObject;
  scenarioIds: string[];
  schedule: string;
}

export type DcJobField = 'object' | 'scenarios' | 'schedule' | 'form';
export type DcJobErrors = Partial<Record<DcJobField, string>>;

export const CRON_HINT =
  'Five fields in UTC: minute hour day-of-month month day-of-week. "0 2 * * *" runs daily at 02:00 UTC; "0 6 * * 1" on Mondays at 06:00 UTC.';

/** A cron field: numbers, names (MON, JAN), ranges, steps, lists and the wildcards croner knows. */
const CRON_FIELD = /^[0-9A-Za-z*?,/#LW-]+$/;

/** Built-in scenarios are ticked to begin with: they are what a first run should use. */
export function defaultScenarioIds(scenarios: Scenario[]): string[] {
  const builtIn = scenarios.filter((scenario) => scenario.builtIn).map((scenario) => scenario.id);
  return builtIn.length > 0 ? builtIn : scenarios.slice(0, 1).map((scenario) => scenario.id);
}

/**
 * The request for Run now (no schedule: it runs once, now) or Save schedule (a cron is needed). The shape of the
 * cron is checked here so a typo is caught at once; whether it is a valid schedule is the server's to say.
 */
export function buildDcJobRequest(
  connectionId: string,
  form: DcJobForm,
  mode: 'run' | 'schedule',
): { ok: true; request: CreateDcJobRequest } | { ok: false; errors: DcJobErrors } {
  const errors: DcJobErrors = {};
  if (form.scenarioIds.length === 0) errors.scenarios = 'Tick at least one scenario.';
  if (form.scenarioIds.length > 10) errors.scenarios = 'Tick at most 10 scenarios.';
  const schedule = form.schedule.trim().replace(/\s+/g, ' ');
  if (mode === 'schedule') {
    if (!schedule) errors.schedule = 'Type a schedule to save, such as "0 2 * * *" (daily at 02:00 UTC).';
    else if (schedule.split(' ').length !== 5 || !schedule.split(' ').every((field) => CRON_FIELD.test(field))) {
      errors.schedule = `"${schedule}" is not a five-field cron. ${CRON_HINT}`;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: {
      connectionId,
      object: form.object,
      scenarioIds: form.scenarioIds,
      ...(mode === 'schedule' ? { schedule } : {}),
    },
  };
}

/** The server's refusal, under the field it concerns. */
export function errorsFromFailure(failure: ApiFailure): DcJobErrors {
  const { code, message } = failure.error;
  if (code === JobErrorCode.ScheduleInvalid) return { schedule: message };
  if (code === DcErrorCode.ObjectNotOffered) return { object: message };
  if (code === DcErrorCode.ScenarioInvalid || code === DcErrorCode.ScenarioNotFound) return { scenarios: message };
  return { form: message };
}
