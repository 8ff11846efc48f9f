import { seededRandom } from './matching/test-support.ts';

/** A Contact sample for the engine tests (tests only): common names, few cities, distinct e-mails, planted twins. */

const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth'];
const MORE_FIRST = ['William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles'];
const LAST = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
];
export const CITIES = ['London', 'Paris', 'Berlin', 'Madrid', 'Rome', 'Vienna', 'Dublin', 'Lisbon'];
const NICKNAMES: Record<string, string> = { William: 'Bill', Robert: 'Bob', Elizabeth: 'Liz', Richard: 'Dick' };

export type SampleRow = [first: string, last: string, email: string, city: string];

function typo(value: string, random: () => number): string {
  const at = 1 + Math.floor(random() * (value.length - 2));
  return value.slice(0, at) + (value[at + 1] ?? '') + (value[at] ?? '') + value.slice(at + 2);
}

/** 2,000 people with distinct e-mails from common names and a few cities, and 50 planted duplicates of them. */
export function realisticSample() {
  const random = seededRandom(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const rows: SampleRow[] = [];
  for (let i = 0; i < 1950; i += 1) {
    const first = pick([...FIRST, ...MORE_FIRST]);
    const last = pick(LAST);
    rows.push([first, last, `${first}.${last}.${i}@example.com`.toLowerCase(), pick(CITIES)]);
  }
  const planted: [number, number][] = [];
  for (let d = 0; d < 50; d += 1) {
    const original = d * 37;
    const [first, last, email, city] = rows[original] as SampleRow;
    const copy: SampleRow =
      d % 2 === 0
        ? // A typo in the last name, same address.
          [first, typo(last, random), email, city]
        : // A nickname and a private address: only the names tie them together.
          [NICKNAMES[first] ?? first, last, `${first}${d}@gmail.com`.toLowerCase(), city];
    planted.push([original, rows.length]);
    rows.push(copy);
  }
  return { rows, planted };
}
