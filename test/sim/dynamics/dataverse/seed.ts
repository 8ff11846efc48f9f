import type { Faker } from '@faker-js/faker';
import { dataverseDateTime } from '../clock.ts';
import type { Environment, User } from '../topology.ts';
import { ACCOUNT, attributeOf, CONTACT, type EntitySpec, LEAD, SYSTEMUSER } from './entities.ts';
import type { EnvironmentStore, LookupValue, Row } from './store.ts';

export interface SeedCounts {
  accounts: number;
  contacts: number;
  leads: number;
}

export const DEFAULT_SEED_COUNTS: SeedCounts = { accounts: 150, contacts: 300, leads: 200 };

/** Seeded rows are dated inside a fixed window, so the same seed gives byte-identical data whatever the clock says. */
const HISTORY_FROM = '2023-01-01T00:00:00Z';
const HISTORY_TO = '2026-01-01T00:00:00Z';

function clip(entity: EntitySpec, name: string, value: string): string {
  const max = attributeOf(entity, name)?.maxLength;
  return max !== undefined && value.length > max ? value.slice(0, max) : value;
}

/** Fills the string columns of `values`, cutting each to its MaxLength as the platform would refuse longer ones. */
function fitted(entity: EntitySpec, values: Record<string, string | number | boolean | null | LookupValue>): Row {
  const row: Row = {};
  for (const [name, value] of Object.entries(values))
    row[name] = typeof value === 'string' ? clip(entity, name, value) : value;
  return row;
}

/** Alternate-key columns must stay unique, so seeded values are drawn again on a collision. */
function unique(used: Set<string>, make: () => string): string {
  for (;;) {
    const value = make();
    if (!used.has(value.toLowerCase())) {
      used.add(value.toLowerCase());
      return value;
    }
  }
}

function audit(faker: Faker, owner: LookupValue, store: EnvironmentStore) {
  const created = faker.date.between({ from: HISTORY_FROM, to: HISTORY_TO });
  const modified = faker.date.between({ from: created, to: HISTORY_TO });
  return {
    ownerid: owner,
    createdby: owner,
    modifiedby: owner,
    createdon: dataverseDateTime(created.getTime()),
    modifiedon: dataverseDateTime(modified.getTime()),
    versionnumber: store.nextVersion(),
  };
}

function addressOf(faker: Faker) {
  return {
    address1_line1: faker.location.streetAddress(),
    address1_city: faker.location.city(),
    address1_stateorprovince: faker.location.state(),
    address1_postalcode: faker.location.zipCode(),
    address1_country: 'United States',
  };
}

function emailFor(faker: Faker, first: string, last: string, domain?: string): string {
  const local = `${first}.${last}`.toLowerCase().replace(/[^a-z0-9.]/g, '');
  return `${local}${faker.number.int({ min: 1, max: 99 })}@${domain ?? faker.internet.domainName()}`;
}

/** The environment's users as systemuser rows, so WhoAmI, ownerid and `systemusers` agree. */
export function seedSystemUsers(
  faker: Faker,
  store: EnvironmentStore,
  environment: Environment,
  users: User[],
): Map<string, string> {
  const idByOid = new Map<string, string>();
  const businessUnit: LookupValue = {
    id: environment.businessUnitId,
    logicalName: 'businessunit',
    name: environment.uniqueName,
  };
  for (const user of users.filter((candidate) => candidate.environments.includes(environment.name))) {
    const id = faker.string.uuid();
    idByOid.set(user.oid, id);
    const created = dataverseDateTime(faker.date.between({ from: HISTORY_FROM, to: '2023-06-01T00:00:00Z' }).getTime());
    store.insert(SYSTEMUSER.logicalName, {
      systemuserid: id,
      fullname: user.displayName,
      firstname: user.givenName,
      lastname: user.surname,
      domainname: user.upn,
      internalemailaddress: user.upn,
      azureactivedirectoryobjectid: user.oid,
      businessunitid: businessUnit,
      isdisabled: !user.enabled,
      createdon: created,
      modifiedon: created,
      versionnumber: store.nextVersion(),
    });
  }
  return idByOid;
}

/**
 * Realistic accounts, contacts and leads. About one contact in twenty is a near-duplicate of another (same name and
 * email in another case, or same name with a new phone), because OrgLink's duplicate checks need something to find.
 */
export function seedRecords(faker: Faker, store: EnvironmentStore, owners: LookupValue[], counts: SeedCounts): void {
  const owner = () => faker.helpers.arrayElement(owners);
  const accountNumbers = new Set<string>();
  const lmsIds = new Set<string>();
  const accounts: Row[] = [];
  for (let index = 0; index < counts.accounts; index += 1) {
    const name = faker.company.name();
    const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example.com`;
    const state = faker.number.float() < 0.1 ? 1 : 0;
    accounts.push(
      store.insert(
        ACCOUNT.logicalName,
        fitted(ACCOUNT, {
          accountid: faker.string.uuid(),
          name,
          accountnumber: unique(accountNumbers, () => `ACC-${faker.string.numeric(6)}`),
          telephone1: faker.phone.number({ style: 'national' }),
          emailaddress1: `info@${domain}`,
          websiteurl: `https://www.${domain}`,
          ...addressOf(faker),
          industrycode: faker.helpers.arrayElement([1, 3, 6, 7, 9, 12, 13, 17, 19, 25, 33]),
          revenue: faker.number.int({ min: 50, max: 500_000 }) * 1000,
          numberofemployees: faker.number.int({ min: 5, max: 20_000 }),
          description: faker.company.catchPhrase(),
          primarycontactid: null,
          parentaccountid: null,
          statecode: state,
          statuscode: state === 0 ? 1 : 2,
          ...audit(faker, owner(), store),
        }),
      ),
    );
  }
  const contacts: Row[] = [];
  for (let index = 0; index < counts.contacts; index += 1) {
    const original =
      contacts.length > 10 && faker.number.float() < 0.05 ? faker.helpers.arrayElement(contacts) : undefined;
    const sex = faker.helpers.arrayElement(['male', 'female'] as const);
    const firstname = original ? String(original.firstname) : faker.person.firstName(sex);
    const lastname = original ? String(original.lastname) : faker.person.lastName();
    const account =
      faker.number.float() < 0.7 && accounts.length > 0 ? faker.helpers.arrayElement(accounts) : undefined;
    const email = original?.emailaddress1
      ? faker.datatype.boolean()
        ? String(original.emailaddress1).toUpperCase()
        : String(original.emailaddress1)
      : emailFor(faker, firstname, lastname);
    const state = faker.number.float() < 0.08 ? 1 : 0;
    contacts.push(
      store.insert(
        CONTACT.logicalName,
        fitted(CONTACT, {
          contactid: faker.string.uuid(),
          salutation: null,
          firstname,
          middlename: null,
          lastname,
          fullname: `${firstname} ${lastname}`,
          jobtitle: faker.person.jobTitle(),
          emailaddress1: email,
          emailaddress2: null,
          telephone1: faker.phone.number({ style: 'national' }),
          mobilephone: faker.phone.number({ style: 'national' }),
          ...addressOf(faker),
          birthdate: faker.date
            .birthdate({ min: 20, max: 70, mode: 'age', refDate: HISTORY_TO })
            .toISOString()
            .slice(0, 10),
          description: null,
          donotemail: faker.number.float() < 0.1,
          gendercode: sex === 'male' ? 1 : 2,
          preferredcontactmethodcode: faker.helpers.arrayElement([1, 1, 1, 2, 3]),
          numberofchildren: faker.number.int({ min: 0, max: 4 }),
          annualincome: faker.number.int({ min: 25, max: 400 }) * 1000,
          parentcustomerid: account ? { id: String(account.accountid), logicalName: 'account' } : null,
          lms_userid: faker.number.float() < 0.6 ? unique(lmsIds, () => `lms-${faker.string.numeric(7)}`) : null,
          statecode: state,
          statuscode: state === 0 ? 1 : 2,
          ...audit(faker, owner(), store),
        }),
      ),
    );
  }
  for (const account of accounts) {
    if (faker.number.float() < 0.5 && contacts.length > 0) {
      const contact = faker.helpers.arrayElement(contacts);
      store.update(ACCOUNT.logicalName, String(account.accountid), {
        primarycontactid: { id: String(contact.contactid), logicalName: 'contact' },
      });
    }
  }
  const leadIds = new Set<string>();
  for (let index = 0; index < counts.leads; index += 1) {
    const firstname = faker.person.firstName();
    const lastname = faker.person.lastName();
    const company = faker.company.name();
    const roll = faker.number.float();
    const [statecode, statuscode] =
      roll < 0.75
        ? [0, faker.helpers.arrayElement([1, 2])]
        : roll < 0.88
          ? [1, 3]
          : [2, faker.helpers.arrayElement([4, 5, 6, 7])];
    store.insert(
      LEAD.logicalName,
      fitted(LEAD, {
        leadid: faker.string.uuid(),
        subject: `${faker.helpers.arrayElement(['Interested in', 'Inquiry about', 'Demo request:', 'Pricing for'])} ${faker.commerce.productName()}`,
        firstname,
        lastname,
        fullname: `${firstname} ${lastname}`,
        companyname: company,
        jobtitle: faker.person.jobTitle(),
        emailaddress1: emailFor(faker, firstname, lastname),
        telephone1: faker.phone.number({ style: 'national' }),
        mobilephone: faker.phone.number({ style: 'national' }),
        websiteurl: `https://www.${company.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example.com`,
        ...addressOf(faker),
        leadsourcecode: faker.number.int({ min: 1, max: 10 }),
        leadqualitycode: faker.number.int({ min: 1, max: 3 }),
        revenue: faker.number.int({ min: 10, max: 100_000 }) * 1000,
        numberofemployees: faker.number.int({ min: 1, max: 5000 }),
        description: null,
        parentaccountid: null,
        parentcontactid: null,
        lms_userid: faker.number.float() < 0.5 ? unique(leadIds, () => `lms-${faker.string.numeric(7)}`) : null,
        statecode,
        statuscode,
        ...audit(faker, owner(), store),
      }),
    );
  }
}
