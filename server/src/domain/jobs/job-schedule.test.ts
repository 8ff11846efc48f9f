import { describe, expect, it } from 'vitest';
import { ApiError } from '../../http-errors.ts';
import { validateSchedule } from './job-schedule.ts';

describe('job schedules', () => {
  it('accepts five-field cron expressions in UTC and says when they run next', () => {
    const { schedule, nextRunAt } = validateSchedule('  0   0 * * * ');
    expect(schedule).toBe('0 0 * * *');
    expect(nextRunAt.getUTCHours()).toBe(0);
    expect(nextRunAt.getUTCMinutes()).toBe(0);
    expect(nextRunAt.getTime()).toBeGreaterThan(Date.now());
    expect(validateSchedule('30 6 * * 1-5').nextRunAt.getUTCHours()).toBe(6);
  });

  it('refuses other field counts, nonsense and schedules that never run', () => {
    const messages = ['* * * * * *', '0 0 * *', 'every day', '61 0 * * *', '0 0 30 2 *'].map((raw) => {
      try {
        validateSchedule(raw);
      } catch (error) {
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).code).toBe('JOB_SCHEDULE_INVALID');
        return (error as ApiError).message;
      }
      throw new Error(`${raw} was accepted`);
    });
    expect(messages[0]).toMatch(/five fields/);
    expect(messages[1]).toMatch(/has 4/);
    expect(messages[2]).toMatch(/five fields/);
    expect(messages[3]).toMatch(/not a valid cron expression/);
  });
});
