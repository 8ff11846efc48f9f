import { describe, expect, it } from 'vitest';
import { failed } from '../../api/api-result.ts';
import { sampleScenario } from '../duplicates/dc-fixtures.ts';
import { buildDcJobRequest, defaultScenarioIds, errorsFromFailure } from './duplicate-check-form.ts';

const form = { object: 'Contact' as const, scenarioIds: ['sc-1'], schedule: '' };

describe('Duplicate Check job form', () => {
  it('ticks the built-in scenarios first, or the first one when none is built in', () => {
    const builtIn = sampleScenario({ id: 'b' });
    const custom = sampleScenario({ id: 'c', builtIn: false });
    expect(defaultScenarioIds([custom, builtIn])).toEqual(['b']);
    expect(defaultScenarioIds([custom])).toEqual(['c']);
    expect(defaultScenarioIds([])).toEqual([]);
  });

  it('runs now without a schedule, even when one is typed', () => {
    expect(buildDcJobRequest('c-1', { ...form, schedule: '0 2 * * *' }, 'run')).toEqual({
      ok: true,
      request: { connectionId: 'c-1', object: 'Contact', scenarioIds: ['sc-1'] },
    });
  });

  it('saves a schedule only with a five-field cron, tidied', () => {
    expect(buildDcJobRequest('c-1', { ...form, schedule: ' 0  2 * * MON ' }, 'schedule')).toMatchObject({
      ok: true,
      request: { schedule: '0 2 * * MON' },
    });
    expect(buildDcJobRequest('c-1', form, 'schedule')).toMatchObject({ ok: false, errors: { schedule: /Type a/ } });
    expect(buildDcJobRequest('c-1', { ...form, schedule: 'daily' }, 'schedule')).toMatchObject({
      ok: false,
      errors: { schedule: /not a five-field cron/ },
    });
  });

  it('needs a scenario', () => {
    expect(buildDcJobRequest('c-1', { ...form, scenarioIds: [] }, 'run')).toEqual({
      ok: false,
      errors: { scenarios: 'Tick at least one scenario.' },
    });
  });

  it("puts the server's refusal under the field it concerns", () => {
    expect(errorsFromFailure(failed(400, 'JOB_SCHEDULE_INVALID', 'Bad cron'))).toEqual({ schedule: 'Bad cron' });
    expect(errorsFromFailure(failed(400, 'DC_SCENARIO_NOT_FOUND', 'Gone'))).toEqual({ scenarios: 'Gone' });
    expect(errorsFromFailure(failed(400, 'DC_OBJECT_NOT_OFFERED', 'No'))).toEqual({ object: 'No' });
    expect(errorsFromFailure(failed(409, 'JOB_CONNECTION_NOT_USABLE', 'Paused'))).toEqual({ form: 'Paused' });
  });
});
