import { DcErrorCode, type DcObject, MATCH_METHODS, type ScenarioRule } from '@orglink/shared';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../http-errors.ts';
import { BUILT_IN_SCENARIOS, builtInScenario, defaultScenariosFor } from './default-scenarios.ts';
import { validateScenario } from './scenario-service.ts';

/** The ApiError validateScenario throws, or a failure when it accepts the input. */
function refusal(object: DcObject, rules: ScenarioRule[], threshold?: number): ApiError {
  try {
    validateScenario(object, rules, threshold);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error(`validateScenario accepted ${JSON.stringify({ object, rules, threshold })}`);
}

const EMAIL: ScenarioRule = { field: 'Email', method: 'email', weight: 50 };

describe('validateScenario', () => {
  it('refuses an unknown method with 400, naming it and the methods there are', () => {
    const error = refusal('Contact', [EMAIL, { field: 'LastName', method: 'soundex' }]);
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe(DcErrorCode.ScenarioInvalid);
    expect(error.message).toContain('Rule 2 (LastName): "soundex" is not a matching method');
    expect(error.message).toContain(MATCH_METHODS.join(', '));
    expect(error.details).toEqual({ rule: 1, method: 'soundex' });
  });

  it('refuses a field the object does not have, naming it and the object', () => {
    const error = refusal('Account', [{ field: 'FirstName', method: 'exact' }]);
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('Rule 1: "FirstName" is not a Account field');
    expect(error.message).toContain('BillingCity');
    expect(error.details).toEqual({ rule: 0, field: 'FirstName' });
  });

  it('accepts custom fields by their API name and refuses names that cannot be one', () => {
    expect(validateScenario('Lead', [{ field: 'Score_2__c', method: 'exact' }], undefined).rules).toHaveLength(1);
    expect(refusal('Lead', [{ field: 'Score__x', method: 'exact' }]).message).toContain('"Score__x"');
    expect(refusal('Lead', [{ field: '1Score__c', method: 'exact' }]).message).toContain('"1Score__c"');
  });

  it.each([101, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses the threshold %s, saying what one is', (value) => {
    const error = refusal('Contact', [EMAIL], value);
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('percentage from 0 to 100');
    expect(error.message).toContain(`${value} is outside it`);
  });

  it('accepts thresholds 0 and 100 and defaults to 75', () => {
    expect(validateScenario('Contact', [EMAIL], 0).threshold).toBe(0);
    expect(validateScenario('Contact', [EMAIL], 100).threshold).toBe(100);
    expect(validateScenario('Contact', [EMAIL], undefined).threshold).toBe(75);
  });

  it('refuses contactField outside Lead-Contact', () => {
    for (const object of ['Contact', 'Lead', 'Account'] as const) {
      const error = refusal(object, [{ field: 'Phone', method: 'phone', contactField: 'Phone' }]);
      expect(error.message).toBe('Rule 1: contactField is for Lead-Contact scenarios only; remove it.');
    }
  });

  it('checks a Lead-Contact rule against both objects', () => {
    const { rules } = validateScenario(
      'Lead-Contact',
      [{ field: 'City', method: 'exact', contactField: 'MailingCity' }],
      80,
    );
    expect(rules).toEqual([{ field: 'City', method: 'exact', weight: 10, contactField: 'MailingCity' }]);
    // Without contactField the Contact side reads the Lead's field name, which Contacts do not have.
    expect(refusal('Lead-Contact', [{ field: 'City', method: 'exact' }]).message).toContain(
      '"City" is not a Contact field',
    );
    expect(refusal('Lead-Contact', [{ field: 'City', method: 'exact', contactField: 'Town' }]).message).toContain(
      '"Town" is not a Contact field',
    );
    expect(refusal('Lead-Contact', [{ field: 'MailingCity', method: 'exact' }]).message).toContain(
      '"MailingCity" is not a Lead field',
    );
  });

  it('refuses the same field compared the same way twice, and allows it by two methods', () => {
    const error = refusal('Contact', [EMAIL, { field: 'Email', method: 'email', weight: 10 }]);
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe('Email is compared by email twice. Keep one of the two rules.');
    const { rules } = validateScenario(
      'Contact',
      [
        { field: 'LastName', method: 'jaro-winkler' },
        { field: 'LastName', method: 'phonetic' },
      ],
      undefined,
    );
    expect(rules).toHaveLength(2);
  });

  it('gives rules without a weight the weight 10 and keeps the others', () => {
    const { rules } = validateScenario('Contact', [EMAIL, { field: 'LastName', method: 'jaro-winkler' }], undefined);
    expect(rules).toEqual([
      { field: 'Email', method: 'email', weight: 50 },
      { field: 'LastName', method: 'jaro-winkler', weight: 10 },
    ]);
    expect(rules[1]).not.toHaveProperty('contactField');
  });
});

describe('built-in scenarios', () => {
  it.each(BUILT_IN_SCENARIOS.map((scenario) => [scenario.id, scenario] as const))(
    '%s passes validateScenario',
    (_, scenario) => {
      const { rules, threshold } = validateScenario(scenario.object, scenario.rules, scenario.threshold);
      expect(rules).toEqual(scenario.rules);
      expect(threshold).toBe(75);
      expect(scenario.builtIn).toBe(true);
    },
  );

  it('ship for every object, with unique ids and names', () => {
    for (const object of ['Contact', 'Lead', 'Account', 'Lead-Contact'] as const) {
      const scenarios = defaultScenariosFor(object);
      expect(scenarios.length, object).toBeGreaterThan(0);
      expect(scenarios.every((scenario) => scenario.object === object)).toBe(true);
    }
    expect(new Set(BUILT_IN_SCENARIOS.map((scenario) => scenario.id)).size).toBe(BUILT_IN_SCENARIOS.length);
    expect(new Set(BUILT_IN_SCENARIOS.map((scenario) => scenario.name)).size).toBe(BUILT_IN_SCENARIOS.length);
    expect(builtInScenario('builtin-account')?.object).toBe('Account');
    expect(builtInScenario('dcs_not-built-in')).toBeUndefined();
  });
});
