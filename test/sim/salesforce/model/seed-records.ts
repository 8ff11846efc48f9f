import type { Faker } from '@faker-js/faker';
import { INDUSTRIES, LEAD_SOURCES, RATINGS, SALUTATIONS } from '../schema/fields.ts';
import { formatDate, formatDateTime } from './clock.ts';
import type { Org, SeededObject } from './org.ts';
import type { SfRecord } from './record-store.ts';

/**
 * Realistic seeded rows. About one person in twenty is seeded twice with the small differences real CRMs collect
 * (nickname, case of the email, a typo, a missing phone) and some Leads duplicate existing Contacts, so duplicate
 * detection has something to find. Dates are fixed in 2023–2025 so the same seed gives the same rows on any day.
 */

export const DEFAULT_RECORD_COUNTS: Record<SeededObject, number> = { Account: 200, Contact: 400, Lead: 300 };

const FROM = Date.UTC(2023, 0, 1);
const TO = Date.UTC(2025, 5, 30);

const NICKNAMES: Record<string, string> = {
  Robert: 'Bob',
  William: 'Bill',
  Elizabeth: 'Liz',
  Katherine: 'Kate',
  Michael: 'Mike',
  Jennifer: 'Jen',
  Christopher: 'Chris',
  Alexander: 'Alex',
  Margaret: 'Maggie',
  Richard: 'Rick',
  Thomas: 'Tom',
  Joseph: 'Joe',
  Daniel: 'Dan',
  Matthew: 'Matt',
  Patricia: 'Pat',
  Samantha: 'Sam',
  Jonathan: 'Jon',
  Nicholas: 'Nick',
  Anthony: 'Tony',
  Rebecca: 'Becky',
};

const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'];

function emptyRow(org: Org, objectName: string): SfRecord {
  const row: SfRecord = {};
  for (const field of org.store(objectName).object.fields) {
    row[field.name] = field.type === 'boolean' ? false : null;
  }
  return row;
}

function audit(faker: Faker, row: SfRecord, ownerIds: string[]): void {
  const created = faker.number.int({ min: FROM, max: TO - 86_400_000 });
  const modified = faker.number.int({ min: created, max: TO });
  const owner = faker.helpers.arrayElement(ownerIds);
  row.CreatedDate = formatDateTime(created);
  row.LastModifiedDate = formatDateTime(modified);
  row.SystemModstamp = formatDateTime(modified);
  row.CreatedById = owner;
  row.LastModifiedById = owner;
  row.OwnerId = owner;
  row.IsDeleted = false;
  if (faker.datatype.boolean(0.4)) row.LastActivityDate = formatDate(faker.number.int({ min: modified, max: TO }));
}

function name(row: SfRecord): void {
  row.Name = [row.FirstName, row.LastName].filter(Boolean).join(' ');
}

function typo(faker: Faker, text: string): string {
  if (text.length < 4) return text;
  const at = faker.number.int({ min: 1, max: text.length - 2 });
  return text.slice(0, at) + text.charAt(at + 1) + text.charAt(at) + text.slice(at + 2);
}

/** A second row for the same person, as a careless import or a second sign-up would create it. */
function duplicateOf(faker: Faker, original: SfRecord): SfRecord {
  const copy: SfRecord = { ...original, LMS_User_Id__c: null, Legacy_Id__c: null };
  const variant = faker.number.int({ min: 0, max: 3 });
  const first = String(original.FirstName ?? '');
  if (variant === 0 && NICKNAMES[first]) copy.FirstName = NICKNAMES[first];
  else if (variant === 1 && typeof original.Email === 'string') copy.Email = original.Email.toUpperCase();
  else if (variant === 2) copy.LastName = typo(faker, String(original.LastName ?? ''));
  else {
    copy.Phone = null;
    copy.MobilePhone = null;
  }
  name(copy);
  return copy;
}

function emailFor(faker: Faker, first: string, last: string, domain: string): string {
  const local = faker.helpers.arrayElement([`${first}.${last}`, `${first.charAt(0)}${last}`, `${first}${last}`]);
  return `${local}@${domain}`.toLowerCase().replace(/[^a-z0-9.@-]/g, '');
}

function address(faker: Faker, row: SfRecord, prefix: string): void {
  row[`${prefix}Street`] = faker.location.streetAddress();
  row[`${prefix}City`] = faker.location.city();
  row[`${prefix}State`] = faker.location.state({ abbreviated: true });
  row[`${prefix}PostalCode`] = faker.location.zipCode('#####');
  row[`${prefix}Country`] = 'United States';
}

export function seedRecords(org: Org, faker: Faker, counts: Record<SeededObject, number>): void {
  const ownerIds = org.users
    .filter((user) => user.profile !== 'Minimum Access - API Only Integrations')
    .map((u) => u.id);
  const accounts = seedAccounts(org, faker, counts.Account, ownerIds);
  const contacts = seedContacts(org, faker, counts.Contact, ownerIds, accounts);
  seedLeads(org, faker, counts.Lead, ownerIds, contacts);
}

function seedAccounts(org: Org, faker: Faker, count: number, ownerIds: string[]): SfRecord[] {
  const store = org.store('Account');
  const rows: SfRecord[] = [];
  for (let index = 0; index < count; index += 1) {
    const row = emptyRow(org, 'Account');
    const company = faker.company.name();
    row.Id = org.ids.next(store.object.keyPrefix);
    row.Name = company;
    row.Type = faker.helpers.arrayElement(['Prospect', 'Customer - Direct', 'Customer - Channel', 'Other']);
    row.Industry = faker.helpers.arrayElement(INDUSTRIES);
    row.Phone = faker.phone.number({ style: 'national' });
    row.Website = `https://www.${faker.internet.domainName()}`;
    row.NumberOfEmployees = faker.number.int({ min: 5, max: 25_000 });
    row.AnnualRevenue = faker.number.int({ min: 100, max: 900_000 }) * 1000;
    row.Rating = faker.helpers.arrayElement(RATINGS);
    row.AccountSource = faker.helpers.arrayElement(LEAD_SOURCES);
    row.AccountNumber = `CD${faker.string.numeric(6)}`;
    address(faker, row, 'Billing');
    if (faker.datatype.boolean(0.3)) row.Description = faker.company.catchPhrase();
    audit(faker, row, ownerIds);
    store.put(row);
    rows.push(row);
  }
  return rows;
}

function seedContacts(org: Org, faker: Faker, count: number, ownerIds: string[], accounts: SfRecord[]): SfRecord[] {
  const store = org.store('Contact');
  const rows: SfRecord[] = [];
  let lmsId = faker.number.int({ min: 10_000, max: 20_000 });
  for (let index = 0; index < count; index += 1) {
    const previous = rows.length > 10 && faker.datatype.boolean(0.05) ? faker.helpers.arrayElement(rows) : undefined;
    let row: SfRecord;
    if (previous) {
      row = duplicateOf(faker, previous);
    } else {
      row = emptyRow(org, 'Contact');
      const account =
        accounts.length && faker.datatype.boolean(0.85) ? faker.helpers.arrayElement(accounts) : undefined;
      const first = faker.person.firstName();
      const last = faker.person.lastName();
      const domain = typeof account?.Website === 'string' ? account.Website.replace('https://www.', '') : 'example.com';
      row.FirstName = first;
      row.LastName = last;
      row.Salutation = faker.datatype.boolean(0.5) ? faker.helpers.arrayElement(SALUTATIONS) : null;
      row.AccountId = account?.Id ?? null;
      row.Email = emailFor(faker, first, last, domain);
      row.Phone = faker.phone.number({ style: 'national' });
      row.MobilePhone = faker.datatype.boolean(0.6) ? faker.phone.number({ style: 'national' }) : null;
      row.Title = faker.person.jobTitle();
      row.Department = faker.commerce.department();
      row.LeadSource = faker.helpers.arrayElement(LEAD_SOURCES);
      row.Birthdate = faker.datatype.boolean(0.3)
        ? formatDate(faker.date.birthdate({ mode: 'age', min: 20, max: 70, refDate: TO }).getTime())
        : null;
      address(faker, row, 'Mailing');
      if (faker.datatype.boolean(0.6)) {
        lmsId += faker.number.int({ min: 1, max: 40 });
        row.LMS_User_Id__c = String(lmsId);
      }
      if (faker.datatype.boolean(0.3)) row.Legacy_Id__c = `LEG-${faker.string.numeric(7)}`;
      row.HasOptedOutOfEmail = faker.datatype.boolean(0.08);
      row.DoNotCall = faker.datatype.boolean(0.05);
    }
    row.Id = org.ids.next(store.object.keyPrefix);
    name(row);
    audit(faker, row, ownerIds);
    store.put(row);
    rows.push(row);
  }
  return rows;
}

function seedLeads(org: Org, faker: Faker, count: number, ownerIds: string[], contacts: SfRecord[]): void {
  const store = org.store('Lead');
  const rows: SfRecord[] = [];
  let lmsId = faker.number.int({ min: 50_000, max: 60_000 });
  for (let index = 0; index < count; index += 1) {
    const roll = faker.number.float({ min: 0, max: 1 });
    let row: SfRecord;
    if (rows.length > 10 && roll < 0.05) {
      row = duplicateOf(faker, faker.helpers.arrayElement(rows));
    } else if (contacts.length && roll < 0.08) {
      // Someone already a Contact signs up again through a web form: a cross-object duplicate.
      const contact = faker.helpers.arrayElement(contacts);
      row = emptyRow(org, 'Lead');
      for (const field of ['FirstName', 'LastName', 'Salutation', 'Email', 'Phone', 'Title'])
        row[field] = contact[field] ?? null;
      row.Company = faker.company.name();
      row.Status = 'Open - Not Contacted';
      row.LeadSource = 'Web';
    } else {
      row = emptyRow(org, 'Lead');
      const first = faker.person.firstName();
      const last = faker.person.lastName();
      row.FirstName = first;
      row.LastName = last;
      row.Salutation = faker.datatype.boolean(0.4) ? faker.helpers.arrayElement(SALUTATIONS) : null;
      row.Company = faker.company.name();
      row.Title = faker.person.jobTitle();
      row.Email = emailFor(faker, first, last, faker.internet.domainName());
      row.Phone = faker.phone.number({ style: 'national' });
      row.Status = faker.helpers.weightedArrayElement([
        { weight: 5, value: LEAD_STATUSES[0] },
        { weight: 3, value: LEAD_STATUSES[1] },
        { weight: 1, value: LEAD_STATUSES[3] },
      ]);
      row.LeadSource = faker.helpers.arrayElement(LEAD_SOURCES);
      row.Industry = faker.helpers.arrayElement(INDUSTRIES);
      row.Rating = faker.helpers.arrayElement(RATINGS);
      row.NumberOfEmployees = faker.number.int({ min: 1, max: 5000 });
      row.AnnualRevenue = faker.number.int({ min: 10, max: 50_000 }) * 1000;
      row.IsUnreadByOwner = faker.datatype.boolean(0.2);
      address(faker, row, '');
      if (faker.datatype.boolean(0.4)) {
        lmsId += faker.number.int({ min: 1, max: 40 });
        row.LMS_User_Id__c = String(lmsId);
      }
    }
    row.Id = org.ids.next(store.object.keyPrefix);
    name(row);
    audit(faker, row, ownerIds);
    store.put(row);
    rows.push(row);
  }
}
