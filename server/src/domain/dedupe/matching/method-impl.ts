/** The contract between a matching method and the Duplicate Check engine (see methods.ts for the whole set). */
export interface MethodImpl {
  /** Raw CRM value -> the prepared string compare() reads; '' when the value is blank or carries nothing comparable
   *  (e.g. a phone with no digits). Called once per record per rule: put the heavy work (Unicode folding, phonetic
   *  codes, canonical nicknames) here. It must be a string (the engine stores millions in arrays and ships them between
   *  worker threads); a method that needs several parts encodes them (e.g. 'code|folded') and documents how. */
  prepare(raw: string): string;
  /** 0-100 for two non-empty prepared values. The hot path: called tens of millions of times in a 1,000,000-record
   *  job, so no allocation per call beyond what is unavoidable (reuse module-level typed arrays), no regex, no split. */
  score(a: string, b: string): number;
  /** The same score with the reason in words for the admin, e.g. "name variant: bill = william", "1 edit in 9
   *  letters", "Jaro-Winkler 0.96", "same mailbox at another domain", "initial J matches John". Only called for the
   *  pairs that matched, so it may allocate. Its score MUST equal score(a, b). */
  explain(a: string, b: string): { score: number; reason: string };
  /** Blocking tokens for one prepared value (records sharing a token of the same rule become candidate pairs; the
   *  engine also combines two rules' tokens). Few (0-3), short, and such that two values this method would score
   *  >= 85 almost always share at least one token. The engine drops oversized blocks itself. */
  blockKeys(prepared: string): string[];
}

export interface Explanation {
  score: number;
  reason: string;
}
