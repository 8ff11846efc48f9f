import { JobErrorCode } from '@orglink/shared';
import { Cron } from 'croner';
import { ApiError } from '../../http-errors.ts';

/**
 * A job schedule: five cron fields (minute hour day-of-month month day-of-week), always read in UTC. Croner also
 * takes a seconds field; it is refused, because a job that runs every few seconds is never what an admin meant.
 */
export function validateSchedule(raw: string): { schedule: string; nextRunAt: Date } {
  const schedule = raw.trim().replace(/\s+/g, ' ');
  const fields = schedule.split(' ').length;
  if (fields !== 5) {
    throw new ApiError(
      400,
      JobErrorCode.ScheduleInvalid,
      `A schedule is a cron expression with five fields (minute hour day month weekday) in UTC, such as "0 0 * * *" for daily at 00:00 UTC; "${raw}" has ${fields}.`,
    );
  }
  let nextRunAt: Date | null;
  try {
    nextRunAt = new Cron(schedule, { timezone: 'UTC', paused: true }).nextRun();
  } catch (error) {
    throw new ApiError(
      400,
      JobErrorCode.ScheduleInvalid,
      `"${raw}" is not a valid cron expression (${(error as Error).message}). Example: "0 0 * * *" for daily at 00:00 UTC.`,
    );
  }
  if (!nextRunAt) {
    throw new ApiError(400, JobErrorCode.ScheduleInvalid, `"${raw}" never runs. Choose a schedule with a next run.`);
  }
  return { schedule, nextRunAt };
}
