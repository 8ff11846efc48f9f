import { type DcObject, DEFAULT_DC_THRESHOLD, type Scenario } from '@orglink/shared';

/**
 * The scenarios OrgLink ships, always available and read-only (a team copies one to change it).
 * Weights follow what identifies a record: an e-mail address or phone number is close to unique, a name is not;
 * two "John Smith"s with nothing else in common stay below the threshold (see scoring.ts on blank fields).
 */
/** A Salesforce object a Duplicate Check reads. */
export type DcSObject = 'Contact' | 'Lead' | 'Account';

/** The objects a Duplicate Check on `object` reads, in side order: Lead-Contact reads the Leads, then the Contacts. */
export function objectsOf(object: DcObject): [DcSObject] | [DcSObject, DcSObject] {
  return object === 'Lead-Contact' ? ['Lead', 'Contact'] : [object];
}

const rule = (field: string, method: string, weight: number, contactField?: string) => ({
  field,
  method,
  weight,
  ...(contactField ? { contactField } : {}),
});

const builtIn = (id: string, name: string, object: Scenario['object'], rules: Scenario['rules']): Scenario => ({
  id,
  name,
  object,
  rules,
  threshold: DEFAULT_DC_THRESHOLD,
  builtIn: true,
  createdAt: null,
});

/**
 * Like Salesforce's standard matching rules, a person is matched by name with e-mail OR by name with phone: two
 * scenarios, applied together (a pair is a duplicate when either matches). One weighted scenario over all of them
 * would let a different e-mail outvote a shared phone number.
 */
/** Every person scenario starts from the name; e-mail or phone is what makes two people one. */
const NAME_RULES = [rule('FirstName', 'name-variant', 15), rule('LastName', 'jaro-winkler', 25)];

/**
 * A person object's pair of scenarios: name and e-mail (with one more field for context), and name and phone (work
 * and mobile; a context field, when given, takes half the mobile's weight).
 */
function personScenarios(
  object: Scenario['object'],
  id: string,
  names: { email: string; phone: string },
  emailContext: Scenario['rules'][number],
  phoneContext?: Scenario['rules'][number],
): Scenario[] {
  return [
    builtIn(`builtin-${id}-email`, names.email, object, [...NAME_RULES, rule('Email', 'email', 50), emailContext]),
    builtIn(`builtin-${id}-phone`, names.phone, object, [
      ...NAME_RULES,
      rule('Phone', 'phone', 40),
      rule('MobilePhone', 'phone', phoneContext ? 10 : 20),
      ...(phoneContext ? [phoneContext] : []),
    ]),
  ];
}

export const BUILT_IN_SCENARIOS: readonly Scenario[] = [
  ...personScenarios(
    'Contact',
    'contact',
    { email: 'Contacts: name and e-mail', phone: 'Contacts: name and phone' },
    rule('MailingCity', 'jaro-winkler', 10),
  ),
  ...personScenarios(
    'Lead',
    'lead',
    { email: 'Leads: name, company and e-mail', phone: 'Leads: name, company and phone' },
    rule('Company', 'jaro-winkler', 10),
    rule('Company', 'jaro-winkler', 10),
  ),
  builtIn('builtin-account', 'Accounts: company name with phone, website or address', 'Account', [
    rule('Name', 'jaro-winkler', 40),
    rule('Phone', 'phone', 20),
    rule('Website', 'edit-distance', 15),
    rule('BillingCity', 'jaro-winkler', 10),
    rule('BillingPostalCode', 'exact', 10),
    rule('BillingStreet', 'edit-distance', 10),
  ]),
  ...personScenarios(
    'Lead-Contact',
    'lead-contact',
    { email: 'Leads already Contacts: name and e-mail', phone: 'Leads already Contacts: name and phone' },
    rule('City', 'jaro-winkler', 10, 'MailingCity'),
  ),
];

export function builtInScenario(id: string): Scenario | undefined {
  return BUILT_IN_SCENARIOS.find((scenario) => scenario.id === id);
}

/** What a job applies when it names no scenarios: every built-in one of its object. */
export function defaultScenariosFor(object: DcObject): Scenario[] {
  return BUILT_IN_SCENARIOS.filter((candidate) => candidate.object === object);
}

/**
 * Standard fields a scenario may compare without a connection to check against (a custom field needs the
 * connection's describe). Text-like fields only: lookups, compound addresses and binary fields compare nothing useful.
 */
const PERSON = ['FirstName', 'LastName', 'MiddleName', 'Suffix', 'Salutation', 'Name', 'Email', 'Phone', 'MobilePhone'];
export const STANDARD_FIELDS: Readonly<Record<DcSObject, readonly string[]>> = {
  Contact: [
    ...PERSON,
    'HomePhone',
    'OtherPhone',
    'Fax',
    'Title',
    'Department',
    'Birthdate',
    ...['Street', 'City', 'State', 'PostalCode', 'Country'].flatMap((part) => [`Mailing${part}`, `Other${part}`]),
  ],
  Lead: [
    ...PERSON,
    'Fax',
    'Title',
    'Company',
    'Website',
    'Industry',
    'Street',
    'City',
    'State',
    'PostalCode',
    'Country',
  ],
  Account: [
    'Name',
    'Phone',
    'Fax',
    'Website',
    'AccountNumber',
    'Site',
    'TickerSymbol',
    'Industry',
    ...['Street', 'City', 'State', 'PostalCode', 'Country'].flatMap((part) => [`Billing${part}`, `Shipping${part}`]),
  ],
};
