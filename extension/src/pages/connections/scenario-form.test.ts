import { describe, expect, it } from 'vitest';
import { buildScenarioRequest, describedObject, emptyScenarioForm, suggestedMethod } from './scenario-form.ts';

describe('scenario form', () => {
  it('builds a scenario from the filled rows, skipping empty ones', () => {
    const form = {
      name: ' Name and phone ',
      threshold: '80',
      rows: [
        { field: 'LastName', method: 'jaro-winkler' as const, weight: '20' },
        { field: '', method: 'exact' as const, weight: '10' },
        { field: 'Phone', method: 'phone' as const, weight: '10' },
      ],
    };
    expect(buildScenarioRequest('Contact', form)).toEqual({
      ok: true,
      request: {
        name: 'Name and phone',
        object: 'Contact',
        threshold: 80,
        rules: [
          { field: 'LastName', method: 'jaro-winkler', weight: 20 },
          { field: 'Phone', method: 'phone', weight: 10 },
        ],
      },
    });
  });

  it('says what to fix: name, threshold outside 0-100, no field, a bad weight', () => {
    const result = buildScenarioRequest('Lead', { ...emptyScenarioForm(), threshold: '120' });
    expect(result).toMatchObject({
      ok: false,
      errors: { name: /name/, threshold: /0 to 100/, rows: /at least one field/ },
    });
    const weight = buildScenarioRequest('Lead', {
      name: 'x',
      threshold: '75',
      rows: [{ field: 'Email', method: 'email', weight: '0' }],
    });
    expect(weight).toMatchObject({ ok: false, errors: { rows: /weight of Email/ } });
  });

  it('reads Lead fields for Lead against Contact and suggests methods by field type', () => {
    expect(describedObject('Lead-Contact')).toBe('Lead');
    expect(describedObject('Account')).toBe('Account');
    expect(suggestedMethod('email')).toBe('email');
    expect(suggestedMethod('phone')).toBe('phone');
    expect(suggestedMethod('string')).toBe('jaro-winkler');
  });
});
