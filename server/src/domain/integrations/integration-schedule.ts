import { IntegrationErrorCode } from '@orglink/shared';
import { ApiError } from '../../http-errors.ts';
import { validateSchedule } from '../jobs/job-schedule.ts';

/** Daily at 00:00 UTC, as Catalog's own Salesforce integration syncs. */
export const DEFAULT_INTEGRATION_SCHEDULE = '0 0 * * *';

/** A cron expression in UTC, normalised; null turns the schedule off. */
export function integrationSchedule(raw: string | null): string | null {
  if (raw === null) return null;
  try {
    return validateSchedule(raw).schedule;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    throw new ApiError(
      400,
      IntegrationErrorCode.ScheduleInvalid,
      `The schedule "${raw}" is not a valid cron expression in UTC: ${error.message} Send null to turn the schedule off.`,
    );
  }
}
