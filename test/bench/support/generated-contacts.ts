import { seedUsers } from '../../sim/catalog/seeder.ts';

export const GENERATED_COLUMNS = [
  'Id',
  'Name',
  'FirstName',
  'LastName',
  'Email',
  'Phone',
  'MobilePhone',
  'MailingCity',
];

export interface GeneratedContacts {
  rows: string[][];
  /** The person each row is: a near-duplicate has its original's. */
  entity: string[];
  /** Originals the seeder made twice by accident, counted as one person (see below). */
  accidentalTwins: number;
}

/** Gmail ignores dots in the mailbox: jane.doe@gmail.com and janedoe@gmail.com are one inbox. */
function inbox(email: string): string {
  const [mailbox = '', domain = ''] = email.trim().toLowerCase().split('@');
  return domain === 'gmail.com' ? `${mailbox.replaceAll('.', '')}@${domain}` : `${mailbox}@${domain}`;
}

/**
 * Contacts made by the repository's own generator (the Catalog simulator's seeder: Faker people, 10% of them
 * registered a second time with a typo, a nickname, swapped names, another e-mail domain or messy case), as a
 * Salesforce org that imported them would hold them. Ground truth comes from the seeder.
 */
export function generatedContacts(count: number, seed = 7, duplicateRate = 0.1): GeneratedContacts {
  const { users, duplicates } = seedUsers({
    seed,
    count,
    duplicateRate,
    rootAccountId: 1,
    registeredAccountIds: [1],
    canvasRootAccountUuid: 'bench',
    seededUntil: Date.UTC(2026, 0, 1),
    customFields: ['phone', 'organization'],
  });
  const originalOf = new Map(duplicates.map((duplicate) => [duplicate.userId, duplicate.originalId]));
  const rows: string[][] = [];
  const entity: string[] = [];
  // Faker repeats names, and the seeder keeps e-mails unique only as typed: at 100,000 people some "two" originals
  // have the same name and the same Gmail inbox. Every matcher (and every admin) calls those one person, so the
  // ground truth does too, and the benchmark prints how many there were.
  const personByInbox = new Map<string, string>();
  let accidentalTwins = 0;
  for (const user of users) {
    const id = `003BENCH${user.id.toString(36).padStart(10, '0')}`;
    rows.push([
      id,
      `${user.first_name} ${user.last_name}`.trim(),
      user.first_name,
      user.last_name,
      user.email_address,
      user.custom_fields.phone ?? '',
      '',
      '',
    ]);
    let person = String(originalOf.get(user.id) ?? user.id);
    if (!originalOf.has(user.id)) {
      const key = `${user.first_name.trim().toLowerCase()} ${user.last_name.trim().toLowerCase()} ${inbox(user.email_address)}`;
      const twin = personByInbox.get(key);
      if (twin) {
        person = twin;
        accidentalTwins += 1;
      } else personByInbox.set(key, person);
    }
    entity.push(person);
  }
  // A near-duplicate of an accidental twin belongs to the person the twin was merged into.
  const mergedInto = new Map<string, string>();
  users.forEach((user, at) => {
    if (!originalOf.has(user.id) && entity[at] !== String(user.id))
      mergedInto.set(String(user.id), entity[at] as string);
  });
  for (let at = 0; at < entity.length; at += 1)
    entity[at] = mergedInto.get(entity[at] as string) ?? (entity[at] as string);
  return { rows, entity, accidentalTwins };
}
