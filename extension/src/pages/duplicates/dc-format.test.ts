import { describe, expect, it } from 'vitest';
import { sampleGroup, samplePair } from './dc-fixtures.ts';
import {
  comparedFields,
  describeFieldScore,
  describePairsScored,
  formatScore,
  methodLabel,
  possiblePairs,
  runIdFromSearch,
  valueFor,
} from './dc-format.ts';

describe('Duplicate Check formatting', () => {
  it('counts the possible pairs as n(n-1)/2 and says what share was scored', () => {
    expect(possiblePairs(0)).toBe(0);
    expect(possiblePairs(1)).toBe(0);
    expect(possiblePairs(1200)).toBe(719_400);
    expect(describePairsScored({ recordsRead: 1200, pairsScored: 5400 })).toBe('5,400 of 719,400 possible (0.75%)');
    expect(describePairsScored({ recordsRead: 1, pairsScored: 0 })).toBe('0 of 0 possible');
    expect(describePairsScored({ recordsRead: 100_000, pairsScored: 12 })).toBe(
      '12 of 4,999,950,000 possible (<0.01%)',
    );
  });

  it('rounds scores to one decimal and says "not compared" for a blank field', () => {
    expect(formatScore(92.54)).toBe('92.5%');
    expect(formatScore(100)).toBe('100%');
    expect(formatScore(74.96)).toBe('75%');
    expect(describeFieldScore({ field: 'Phone', method: 'phone', weight: 10, score: null, reason: 'blank' })).toBe(
      'not compared',
    );
    expect(methodLabel('jaro-winkler')).toMatch(/Jaro-Winkler/);
    expect(methodLabel('future-method')).toBe('future-method');
  });

  it('lists the compared fields in scenario order, then the other values', () => {
    const group = sampleGroup();
    group.records[0] = {
      ...group.records[0],
      id: 'a',
      object: 'Contact',
      name: 'A',
      values: { Email: 'a@x', FirstName: 'A' },
    };
    expect(comparedFields(group)).toEqual(['FirstName', 'LastName', 'Phone', 'Email']);
  });

  it('reads the Contact field of a Lead-Contact rule for the Contact column', () => {
    const group = sampleGroup({
      records: [
        { id: '00Q000000000001AAA', object: 'Lead', name: 'Lee Lead', values: { Company: 'Acme' } },
        { id: '003000000000001AAA', object: 'Contact', name: 'Lee Lead', values: { Account_Name__c: 'Acme Inc' } },
      ],
      pairs: [
        samplePair({
          fields: [
            {
              field: 'Company',
              contactField: 'Account_Name__c',
              method: 'jaro-winkler',
              weight: 10,
              score: 90,
              reason: 'close',
            },
          ],
        }),
      ],
    });
    expect(valueFor(group, 0, 'Company')).toBe('Acme');
    expect(valueFor(group, 1, 'Company')).toBe('Acme Inc');
    expect(valueFor(group, 5, 'Company')).toBeNull();
  });

  it('reads the run id from the page address', () => {
    expect(runIdFromSearch('?run=run-42')).toBe('run-42');
    expect(runIdFromSearch('?run=%20')).toBeUndefined();
    expect(runIdFromSearch('')).toBeUndefined();
  });
});
