import type { CrmField } from '@orglink/shared';

/** Contact's fields as describe answers them, trimmed to what the activity tests need. */
export function field(name: string, overrides: Partial<CrmField> = {}): CrmField {
  return {
    name,
    label: name.replace(/__c$/, '').replace(/_/g, ' '),
    type: 'string',
    length: 80,
    required: false,
    createable: true,
    updateable: true,
    externalId: false,
    unique: false,
    ...overrides,
  };
}

export const CONTACT_FIELDS: CrmField[] = [
  field('Id', { label: 'Contact ID', type: 'id', createable: false, updateable: false }),
  field('LastName', { label: 'Last Name', required: true }),
  field('FirstName', { label: 'First Name' }),
  field('Email', { label: 'Email', type: 'email' }),
  field('NumberOfEmployees__c', { label: 'Employees', type: 'int' }),
  field('HasOptedOutOfEmail', { label: 'Email Opt Out', type: 'boolean' }),
  field('CreatedDate', { label: 'Created Date', type: 'datetime', createable: false, updateable: false }),
  field('LMS_User_Id__c', { label: 'LMS User Id', externalId: true, unique: true }),
  field('Legacy_Id__c', { label: 'Legacy Id', externalId: true, unique: false }),
];
