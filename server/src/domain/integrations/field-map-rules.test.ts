import type { CrmField, FieldMapping } from '@orglink/shared';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../http-errors.ts';
import { defaultFieldMap, type FieldMapInput, targetProfile, validateFieldMap } from './field-map-rules.ts';

const field = (name: string, type: string, overrides: Partial<CrmField> = {}): CrmField => ({
  name,
  label: name,
  type,
  length: type === 'string' || type === 'email' ? 80 : null,
  required: false,
  createable: true,
  updateable: true,
  externalId: false,
  unique: false,
  ...overrides,
});

const CONTACT_FIELDS = [
  field('Id', 'id', { createable: false, updateable: false }),
  field('FirstName', 'string'),
  field('LastName', 'string', { required: true }),
  field('Email', 'email'),
  field('Description', 'textarea'),
  field('Birthdate', 'date'),
  field('DoNotCall', 'boolean'),
  field('NumberOfCourses__c', 'double'),
  field('LastActivityDate', 'date', { createable: false, updateable: false }),
  field('CreatedFromLead__c', 'string', { updateable: false }),
  field('LMS_User_Id__c', 'string', { externalId: true, unique: true }),
  field('Legacy_Id__c', 'string'),
];

const contact = targetProfile('salesforce', 'Contact');

function input(fieldMap: FieldMapping[], overrides: Partial<FieldMapInput> = {}): FieldMapInput {
  return {
    kind: 'salesforce',
    profile: contact,
    fields: CONTACT_FIELDS,
    matchKey: 'external-id',
    externalIdField: 'LMS_User_Id__c',
    fieldMap,
    customFieldsSeen: new Set(['phone', 'job_title']),
    ...overrides,
  };
}

const defaults = defaultFieldMap(contact, 'LMS_User_Id__c', 'Acme');

function refusal(value: FieldMapInput): ApiError {
  try {
    validateFieldMap(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).statusCode).toBe(400);
    return error as ApiError;
  }
  throw new Error('the field map was accepted');
}

describe('field map validation', () => {
  it('accepts the default map and spells targets as describe does', () => {
    expect(validateFieldMap(input(defaults)).fieldMap).toEqual(defaults);
    const lowercase = defaults.map((mapping) => ({ ...mapping, target: mapping.target.toLowerCase() }));
    expect(validateFieldMap(input(lowercase)).fieldMap.map((mapping) => mapping.target)).toEqual([
      'FirstName',
      'LastName',
      'Email',
      'LMS_User_Id__c',
    ]);
  });

  it('names a field that does not exist or cannot be written', () => {
    expect(refusal(input([...defaults, { target: 'Foo__c', source: 'user_name' }])).message).toBe(
      'The field "Foo__c" does not exist on Contact.',
    );
    expect(refusal(input([...defaults, { target: 'LastActivityDate', source: 'created_at' }])).message).toMatch(
      /"LastActivityDate" on Contact cannot be written/,
    );
    expect(refusal(input([...defaults, { target: 'CreatedFromLead__c', source: 'user_name' }])).message).toMatch(
      /"CreatedFromLead__c" on Contact cannot be updated/,
    );
  });

  it('refuses a field mapped twice and a mapping with both or neither of source and constant', () => {
    expect(refusal(input([...defaults, { target: 'email', source: 'user_name' }])).message).toMatch(
      /"Email" is mapped twice/,
    );
    expect(refusal(input([...defaults, { target: 'Description' }])).message).toMatch(/exactly one/);
    expect(
      refusal(input([...defaults, { target: 'Description', source: 'user_name', constant: 'x' }])).message,
    ).toMatch(/exactly one/);
  });

  it('accepts custom fields seen on the users and refuses unknown sources', () => {
    const withPhone = [...defaults, { target: 'Description', source: 'custom_fields.phone' }];
    expect(validateFieldMap(input(withPhone)).fieldMap).toContainEqual({
      target: 'Description',
      source: 'custom_fields.phone',
    });
    expect(refusal(input([...defaults, { target: 'Description', source: 'custom_fields.shoe_size' }])).message).toMatch(
      /"custom_fields.shoe_size" \(mapped to "Description"\) is not a Catalog user field/,
    );
    expect(refusal(input([...defaults, { target: 'Description', source: 'password' }])).message).toMatch(/password/);
  });

  it('checks types: text into boolean, number or date is refused with the field named', () => {
    expect(refusal(input([...defaults, { target: 'DoNotCall', source: 'first_name' }])).message).toMatch(
      /"first_name" cannot be written to "DoNotCall" \(a boolean field on Contact\)/,
    );
    expect(refusal(input([...defaults, { target: 'NumberOfCourses__c', source: 'time_zone' }])).message).toMatch(
      /"NumberOfCourses__c"/,
    );
    expect(refusal(input([...defaults, { target: 'Birthdate', source: 'custom_fields.phone' }])).message).toMatch(
      /"Birthdate"/,
    );
    const fitting = [
      ...defaults,
      { target: 'NumberOfCourses__c', source: 'canvas_user_id' },
      { target: 'Birthdate', source: 'created_at' },
      { target: 'DoNotCall', constant: 'true' },
      { target: 'Description', source: 'id' },
    ];
    expect(validateFieldMap(input(fitting)).fieldMap).toHaveLength(8);
    expect(refusal(input([...defaults, { target: 'DoNotCall', constant: 'yes' }])).message).toMatch(/true or false/);
  });

  it('requires First Name, Last Name, Email, and Company for Lead', () => {
    const withoutEmail = defaults.filter((mapping) => mapping.target !== 'Email');
    expect(refusal(input(withoutEmail)).message).toMatch(/^"Email" must be mapped/);
    const lead = targetProfile('salesforce', 'Lead');
    const leadFields = [...CONTACT_FIELDS, field('Company', 'string', { required: true })];
    const contactMapOnLead = input(defaults, { profile: lead, fields: leadFields });
    expect(refusal(contactMapOnLead).message).toMatch(/^"Company" must be mapped/);
    const blankCompany = [...defaults, { target: 'Company', constant: ' ' }];
    expect(refusal(input(blankCompany, { profile: lead, fields: leadFields })).message).toMatch(/non-empty/);
    const leadDefaults = defaultFieldMap(lead, 'LMS_User_Id__c', 'Acme University');
    expect(leadDefaults).toContainEqual({ target: 'Company', constant: 'Acme University' });
    expect(validateFieldMap(input(leadDefaults, { profile: lead, fields: leadFields })).fieldMap).toHaveLength(5);
  });

  it('checks the match key: an External ID field, mapped from a Catalog field; e-mail needs none', () => {
    const notExternal = input([...defaults, { target: 'Legacy_Id__c', source: 'id' }], {
      externalIdField: 'Legacy_Id__c',
    });
    expect(refusal(notExternal).message).toMatch(/"Legacy_Id__c" on Contact is not an External ID field/);
    expect(refusal(input(defaults, { externalIdField: 'Nope__c' })).code).toBe('MATCH_KEY_INVALID');
    const unmappedKey = defaults.filter((mapping) => mapping.target !== 'LMS_User_Id__c');
    expect(refusal(input(unmappedKey)).message).toMatch(/Map the match key field "LMS_User_Id__c"/);
    const keyFromEmail = [...unmappedKey, { target: 'LMS_User_Id__c', source: 'email_address' }];
    const fromEmail = refusal(input(keyFromEmail));
    expect(fromEmail.message).toMatch(/"LMS_User_Id__c" from the Catalog field "id".*not by "email_address"/);
    expect(fromEmail.details).toEqual({ field: 'LMS_User_Id__c' });
    expect(validateFieldMap(input(unmappedKey, { matchKey: 'email' }))).toEqual({
      externalIdField: null,
      fieldMap: unmappedKey,
    });
  });

  it('uses Dynamics logical names and option values', () => {
    const profile = targetProfile('dynamics', 'Lead');
    expect(profile.object).toBe('lead');
    const fields = [
      field('firstname', 'string'),
      field('lastname', 'string'),
      field('emailaddress1', 'string'),
      field('companyname', 'string'),
      field('lms_userid', 'string', { externalId: true }),
      field('leadsourcecode', 'picklist'),
    ];
    const map = defaultFieldMap(profile, 'lms_userid', 'Globex');
    const ok = validateFieldMap({ ...input(map), kind: 'dynamics', profile, fields, externalIdField: 'lms_userid' });
    expect(ok.externalIdField).toBe('lms_userid');
    expect(
      refusal({ ...input(map), kind: 'dynamics', profile, fields, matchKey: 'email', externalIdField: null }),
    ).toMatchObject({
      code: 'MATCH_KEY_INVALID',
      message: expect.stringMatching(/supports the External ID match key only/),
    });
    const picklist = { ...input([...map, { target: 'leadsourcecode', constant: 'Web' }]), kind: 'dynamics' as const };
    expect(refusal({ ...picklist, profile, fields, externalIdField: 'lms_userid' }).message).toMatch(/whole number/);
  });
});
