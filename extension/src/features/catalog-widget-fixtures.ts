import type { CrmField, Integration, JobRun, MappingOptions } from '@orglink/shared';

/** Answers shaped exactly as the contract says, for the Catalog widget's tests. */
export function sampleIntegration(overrides: Partial<Integration> = {}): Integration {
  return {
    id: 'int-1',
    connectionId: 'c0ffee00-0000-4000-8000-000000000001',
    connectionName: 'Acme Production',
    catalogHost: 'acme.catalog.instructure.com',
    catalogAccountName: 'Acme Learning',
    target: 'Contact',
    matchKey: 'external-id',
    externalIdField: 'Catalog_User_Id__c',
    fieldMap: [],
    schedule: '0 0 * * *',
    linkState: 'linked',
    problem: null,
    jobId: 'job-1',
    lastRun: null,
    createdBy: 'Ada Admin',
    createdAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

export function sampleRun(overrides: Partial<JobRun> = {}): JobRun {
  return {
    id: 'run-1',
    jobId: 'job-1',
    kind: 'write',
    title: 'acme.catalog.instructure.com',
    connectionId: 'c0ffee00-0000-4000-8000-000000000001',
    connectionName: 'Acme Production',
    integrationId: 'int-1',
    status: 'completed',
    trigger: 'manual',
    counts: { total: 300, processed: 300, created: 280, updated: 10, unchanged: 5, deleted: 0, failed: 5 },
    apiCalls: { composite: 3 },
    rate: 150,
    startedBy: 'Ada Admin',
    queuedAt: '2026-11-21T09:00:00.000Z',
    startedAt: '2026-11-21T09:00:01.000Z',
    finishedAt: '2026-11-21T09:01:06.000Z',
    errorCode: null,
    errorMessage: null,
    ...overrides,
  };
}

function field(name: string, label: string, overrides: Partial<CrmField> = {}): CrmField {
  return {
    name,
    label,
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

export function sampleMappingOptions(target: 'Contact' | 'Lead' = 'Contact'): MappingOptions {
  const lead = target === 'Lead';
  return {
    target,
    crmFields: [
      field('FirstName', 'First Name'),
      field('LastName', 'Last Name', { required: true }),
      field('Email', 'Email', { type: 'email' }),
      field('Phone', 'Business Phone', { type: 'phone' }),
      field('Title', 'Title'),
      field('Catalog_User_Id__c', 'Catalog User Id', { externalId: true, unique: true }),
      ...(lead ? [field('Company', 'Company', { required: true })] : []),
    ],
    catalogFields: [
      { name: 'first_name', label: 'First name' },
      { name: 'last_name', label: 'Last name' },
      { name: 'email_address', label: 'Email address' },
      { name: 'custom_fields.phone', label: 'Phone (custom)' },
    ],
    mandatory: lead ? ['FirstName', 'LastName', 'Email', 'Company'] : ['FirstName', 'LastName', 'Email'],
    defaultFieldMap: [
      { target: 'FirstName', source: 'first_name' },
      { target: 'LastName', source: 'last_name' },
      { target: 'Email', source: 'email_address' },
      ...(lead ? [{ target: 'Company', constant: 'Catalog' }] : []),
    ],
  };
}
