import { MATCH_METHODS, type MatchMethod } from '@orglink/shared';
import { emailMethod } from './email-method.ts';
import { initialsMethod } from './initials-method.ts';
import type { MethodImpl } from './method-impl.ts';
import { nameVariantMethod } from './name-variant-method.ts';
import { phoneMethod } from './phone-method.ts';
import { phoneticMethod } from './phonetic-method.ts';
import { editDistanceMethod, exactAnyOrderMethod, exactMethod, jaroWinklerMethod } from './text-methods.ts';

/**
 * The matching methods of Duplicate Check, by the names scenarios use. Each folds case, diacritics and whitespace in
 * prepare(), scores 0-100 (one decimal) in score(), and says why in explain(); see method-impl.ts for the contract.
 */

export type { Explanation, MethodImpl } from './method-impl.ts';

export const METHODS: Readonly<Record<MatchMethod, MethodImpl>> = Object.freeze({
  exact: exactMethod,
  'exact-any-order': exactAnyOrderMethod,
  'jaro-winkler': jaroWinklerMethod,
  'edit-distance': editDistanceMethod,
  initials: initialsMethod,
  'name-variant': nameVariantMethod,
  phonetic: phoneticMethod,
  email: emailMethod,
  phone: phoneMethod,
});

const METHOD_NAMES: ReadonlySet<string> = new Set(MATCH_METHODS);

export function isMatchMethod(value: string): value is MatchMethod {
  return METHOD_NAMES.has(value);
}
