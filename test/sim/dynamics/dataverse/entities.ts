import { createHash } from 'node:crypto';

export type AttributeType =
  | 'Uniqueidentifier'
  | 'String'
  | 'Memo'
  | 'Integer'
  | 'BigInt'
  | 'Money'
  | 'Boolean'
  | 'DateTime'
  | 'Picklist'
  | 'State'
  | 'Status'
  | 'Lookup'
  | 'Customer'
  | 'Owner';

export type RequiredLevel = 'None' | 'SystemRequired' | 'ApplicationRequired' | 'Recommended';

export interface OptionSpec {
  value: number;
  label: string;
}

export interface AttributeSpec {
  logicalName: string;
  schemaName: string;
  type: AttributeType;
  displayName: string;
  description: string;
  requiredLevel: RequiredLevel;
  maxLength?: number;
  /** String format (Text, Email, Phone, Url, TextArea) or DateTime behaviour (DateOnly, DateAndTime). */
  format?: string;
  validForCreate: boolean;
  validForUpdate: boolean;
  isPrimaryId: boolean;
  isPrimaryName: boolean;
  isCustom: boolean;
  options?: OptionSpec[];
  /** Lookups: the tables the lookup can point to. */
  targets?: string[];
  minValue?: number;
  maxValue?: number;
  precision?: number;
  columnNumber: number;
  metadataId: string;
}

export interface AlternateKeySpec {
  logicalName: string;
  schemaName: string;
  displayName: string;
  attributes: string[];
  metadataId: string;
}

/** A single-valued navigation property: how `@odata.bind` sets a lookup (e.g. `parentcustomerid_account`). */
export interface NavigationSpec {
  name: string;
  attribute: string;
  target: string;
}

export interface EntitySpec {
  logicalName: string;
  schemaName: string;
  entitySetName: string;
  displayName: string;
  displayCollectionName: string;
  description: string;
  primaryIdAttribute: string;
  primaryNameAttribute: string;
  objectTypeCode: number;
  ownershipType: 'UserOwned' | 'OrganizationOwned' | 'BusinessOwned';
  isCustomEntity: boolean;
  /** Read-only in the simulator (system tables the Web API exposes but OrgLink never writes). */
  readOnly: boolean;
  attributes: AttributeSpec[];
  keys: AlternateKeySpec[];
  navigation: NavigationSpec[];
  /** Columns of the default public view, for the model-driven list page. */
  viewColumns: string[];
  metadataId: string;
}

/** Metadata ids are fixed GUIDs in Dataverse; derive stable ones from the names. */
export function metadataId(name: string): string {
  const hex = createHash('sha1').update(`dataverse-metadata:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

type AttributeInput = Partial<AttributeSpec> & Pick<AttributeSpec, 'logicalName' | 'type' | 'displayName'>;

/** Schema names as Dataverse spells them (logical names are their lower-case form). */
const SCHEMA_NAMES = Object.fromEntries(
  [
    'AccountId',
    'AccountNumber',
    'Address1_City',
    'Address1_Country',
    'Address1_Line1',
    'Address1_PostalCode',
    'Address1_StateOrProvince',
    'AnnualIncome',
    'AzureActiveDirectoryObjectId',
    'BirthDate',
    'BusinessUnitId',
    'CompanyName',
    'ContactId',
    'CreatedBy',
    'CreatedOn',
    'Description',
    'DoNotEMail',
    'DomainName',
    'EMailAddress1',
    'EMailAddress2',
    'FirstName',
    'FullName',
    'GenderCode',
    'IndustryCode',
    'InternalEMailAddress',
    'IsDisabled',
    'JobTitle',
    'LastName',
    'LeadId',
    'LeadQualityCode',
    'LeadSourceCode',
    'MiddleName',
    'MobilePhone',
    'ModifiedBy',
    'ModifiedOn',
    'Name',
    'NumberOfChildren',
    'NumberOfEmployees',
    'OwnerId',
    'ParentAccountId',
    'ParentContactId',
    'ParentCustomerId',
    'PreferredContactMethodCode',
    'PrimaryContactId',
    'Revenue',
    'Salutation',
    'StateCode',
    'StatusCode',
    'Subject',
    'SystemUserId',
    'Telephone1',
    'VersionNumber',
    'WebSiteURL',
    'lms_UserId',
  ].map((name) => [name.toLowerCase(), name]),
);

function schemaNameOf(logicalName: string): string {
  return SCHEMA_NAMES[logicalName] ?? logicalName;
}

function defineEntity(
  entity: Omit<EntitySpec, 'attributes' | 'keys' | 'metadataId'> & {
    attributes: AttributeInput[];
    keys: Omit<AlternateKeySpec, 'metadataId'>[];
  },
): EntitySpec {
  return {
    ...entity,
    metadataId: metadataId(entity.logicalName),
    keys: entity.keys.map((key) => ({
      ...key,
      metadataId: metadataId(`${entity.logicalName}.key.${key.logicalName}`),
    })),
    attributes: entity.attributes.map((attribute, index) => ({
      schemaName: schemaNameOf(attribute.logicalName),
      description: '',
      requiredLevel: 'None',
      validForCreate: true,
      validForUpdate: true,
      isPrimaryId: false,
      isPrimaryName: false,
      isCustom: attribute.logicalName.startsWith('lms_'),
      columnNumber: index + 1,
      metadataId: metadataId(`${entity.logicalName}.${attribute.logicalName}`),
      ...attribute,
    })),
  };
}

const readOnly = { validForCreate: false, validForUpdate: false } as const;

const STATE_ACTIVE: OptionSpec[] = [
  { value: 0, label: 'Active' },
  { value: 1, label: 'Inactive' },
];
const STATUS_ACTIVE: OptionSpec[] = [
  { value: 1, label: 'Active' },
  { value: 2, label: 'Inactive' },
];

/** Columns every user-owned table has; createdon etc. are read-only, set by the platform. */
function systemColumns(): AttributeInput[] {
  return [
    {
      logicalName: 'ownerid',
      type: 'Owner',
      displayName: 'Owner',
      targets: ['systemuser', 'team'],
      requiredLevel: 'SystemRequired',
    },
    { logicalName: 'createdon', type: 'DateTime', displayName: 'Created On', format: 'DateAndTime', ...readOnly },
    { logicalName: 'modifiedon', type: 'DateTime', displayName: 'Modified On', format: 'DateAndTime', ...readOnly },
    { logicalName: 'createdby', type: 'Lookup', displayName: 'Created By', targets: ['systemuser'], ...readOnly },
    { logicalName: 'modifiedby', type: 'Lookup', displayName: 'Modified By', targets: ['systemuser'], ...readOnly },
    { logicalName: 'versionnumber', type: 'BigInt', displayName: 'Version Number', ...readOnly },
  ];
}

/** State and Status Reason: every entity has the pair, with its own options. */
function statusColumns(state: OptionSpec[], status: OptionSpec[]): AttributeInput[] {
  return [
    { logicalName: 'statecode', type: 'State', displayName: 'Status', options: state, requiredLevel: 'SystemRequired' },
    { logicalName: 'statuscode', type: 'Status', displayName: 'Status Reason', options: status },
  ];
}

/** The column the write jobs upsert by (the alternate key of contact and lead). */
const LMS_USER_ID: AttributeInput = {
  logicalName: 'lms_userid',
  type: 'String',
  displayName: 'LMS User Id',
  maxLength: 100,
  format: 'Text',
  description: 'User id in the learning platform (Catalog); alternate key.',
};

function address(maxCountry = 80): AttributeInput[] {
  return [
    {
      logicalName: 'address1_line1',
      type: 'String',
      displayName: 'Address 1: Street 1',
      maxLength: 250,
      format: 'Text',
    },
    { logicalName: 'address1_city', type: 'String', displayName: 'Address 1: City', maxLength: 80, format: 'Text' },
    {
      logicalName: 'address1_stateorprovince',
      type: 'String',
      displayName: 'Address 1: State/Province',
      maxLength: 50,
      format: 'Text',
    },
    {
      logicalName: 'address1_postalcode',
      type: 'String',
      displayName: 'Address 1: ZIP/Postal Code',
      maxLength: 20,
      format: 'Text',
    },
    {
      logicalName: 'address1_country',
      type: 'String',
      displayName: 'Address 1: Country/Region',
      maxLength: maxCountry,
      format: 'Text',
    },
  ];
}

export const CONTACT = defineEntity({
  logicalName: 'contact',
  schemaName: 'Contact',
  entitySetName: 'contacts',
  displayName: 'Contact',
  displayCollectionName: 'Contacts',
  description: 'Person with whom a business unit has a relationship, such as customer, supplier, and colleague.',
  primaryIdAttribute: 'contactid',
  primaryNameAttribute: 'fullname',
  objectTypeCode: 2,
  ownershipType: 'UserOwned',
  isCustomEntity: false,
  readOnly: false,
  viewColumns: ['fullname', 'emailaddress1', 'telephone1', 'address1_city', 'lms_userid'],
  attributes: [
    {
      logicalName: 'contactid',
      type: 'Uniqueidentifier',
      displayName: 'Contact',
      isPrimaryId: true,
      requiredLevel: 'SystemRequired',
      validForUpdate: false,
    },
    { logicalName: 'salutation', type: 'String', displayName: 'Salutation', maxLength: 100, format: 'Text' },
    {
      logicalName: 'firstname',
      type: 'String',
      displayName: 'First Name',
      maxLength: 50,
      format: 'Text',
      requiredLevel: 'Recommended',
    },
    { logicalName: 'middlename', type: 'String', displayName: 'Middle Name', maxLength: 50, format: 'Text' },
    {
      logicalName: 'lastname',
      type: 'String',
      displayName: 'Last Name',
      maxLength: 50,
      format: 'Text',
      requiredLevel: 'ApplicationRequired',
    },
    {
      logicalName: 'fullname',
      type: 'String',
      displayName: 'Full Name',
      maxLength: 160,
      format: 'Text',
      isPrimaryName: true,
      ...readOnly,
    },
    { logicalName: 'jobtitle', type: 'String', displayName: 'Job Title', maxLength: 100, format: 'Text' },
    { logicalName: 'emailaddress1', type: 'String', displayName: 'Email', maxLength: 100, format: 'Email' },
    { logicalName: 'emailaddress2', type: 'String', displayName: 'Email Address 2', maxLength: 100, format: 'Email' },
    { logicalName: 'telephone1', type: 'String', displayName: 'Business Phone', maxLength: 50, format: 'Phone' },
    { logicalName: 'mobilephone', type: 'String', displayName: 'Mobile Phone', maxLength: 50, format: 'Phone' },
    ...address(),
    { logicalName: 'birthdate', type: 'DateTime', displayName: 'Birthday', format: 'DateOnly' },
    { logicalName: 'description', type: 'Memo', displayName: 'Description', maxLength: 2000, format: 'TextArea' },
    {
      logicalName: 'donotemail',
      type: 'Boolean',
      displayName: 'Do not allow Emails',
      options: [
        { value: 0, label: 'Allow' },
        { value: 1, label: 'Do Not Allow' },
      ],
    },
    {
      logicalName: 'gendercode',
      type: 'Picklist',
      displayName: 'Gender',
      options: [
        { value: 1, label: 'Male' },
        { value: 2, label: 'Female' },
      ],
    },
    {
      logicalName: 'preferredcontactmethodcode',
      type: 'Picklist',
      displayName: 'Preferred Method of Contact',
      options: [
        { value: 1, label: 'Any' },
        { value: 2, label: 'Email' },
        { value: 3, label: 'Phone' },
        { value: 4, label: 'Fax' },
        { value: 5, label: 'Mail' },
      ],
    },
    {
      logicalName: 'numberofchildren',
      type: 'Integer',
      displayName: 'No. of Children',
      minValue: 0,
      maxValue: 1000000000,
    },
    {
      logicalName: 'annualincome',
      type: 'Money',
      displayName: 'Annual Income',
      minValue: 0,
      maxValue: 100000000000000,
      precision: 2,
    },
    { logicalName: 'parentcustomerid', type: 'Customer', displayName: 'Company Name', targets: ['account', 'contact'] },
    LMS_USER_ID,
    ...statusColumns(STATE_ACTIVE, STATUS_ACTIVE),
    ...systemColumns(),
  ],
  keys: [
    {
      logicalName: 'lms_userid_key',
      schemaName: 'lms_UserIdKey',
      displayName: 'LMS User Id Key',
      attributes: ['lms_userid'],
    },
  ],
  navigation: [
    { name: 'parentcustomerid_account', attribute: 'parentcustomerid', target: 'account' },
    { name: 'parentcustomerid_contact', attribute: 'parentcustomerid', target: 'contact' },
    { name: 'ownerid', attribute: 'ownerid', target: 'systemuser' },
  ],
});

export const LEAD = defineEntity({
  logicalName: 'lead',
  schemaName: 'Lead',
  entitySetName: 'leads',
  displayName: 'Lead',
  displayCollectionName: 'Leads',
  description:
    'Prospect or potential sales opportunity. Leads are converted into accounts, contacts, or opportunities when they are qualified. Otherwise, they are deleted or archived.',
  primaryIdAttribute: 'leadid',
  primaryNameAttribute: 'fullname',
  objectTypeCode: 4,
  ownershipType: 'UserOwned',
  isCustomEntity: false,
  readOnly: false,
  viewColumns: ['fullname', 'subject', 'companyname', 'emailaddress1', 'statuscode'],
  attributes: [
    {
      logicalName: 'leadid',
      type: 'Uniqueidentifier',
      displayName: 'Lead',
      isPrimaryId: true,
      requiredLevel: 'SystemRequired',
      validForUpdate: false,
    },
    {
      logicalName: 'subject',
      type: 'String',
      displayName: 'Topic',
      maxLength: 300,
      format: 'Text',
      requiredLevel: 'ApplicationRequired',
    },
    {
      logicalName: 'firstname',
      type: 'String',
      displayName: 'First Name',
      maxLength: 50,
      format: 'Text',
      requiredLevel: 'Recommended',
    },
    {
      logicalName: 'lastname',
      type: 'String',
      displayName: 'Last Name',
      maxLength: 50,
      format: 'Text',
      requiredLevel: 'ApplicationRequired',
    },
    {
      logicalName: 'fullname',
      type: 'String',
      displayName: 'Name',
      maxLength: 160,
      format: 'Text',
      isPrimaryName: true,
      ...readOnly,
    },
    {
      logicalName: 'companyname',
      type: 'String',
      displayName: 'Company Name',
      maxLength: 100,
      format: 'Text',
      requiredLevel: 'Recommended',
    },
    { logicalName: 'jobtitle', type: 'String', displayName: 'Job Title', maxLength: 100, format: 'Text' },
    { logicalName: 'emailaddress1', type: 'String', displayName: 'Email', maxLength: 100, format: 'Email' },
    { logicalName: 'telephone1', type: 'String', displayName: 'Business Phone', maxLength: 50, format: 'Phone' },
    { logicalName: 'mobilephone', type: 'String', displayName: 'Mobile Phone', maxLength: 20, format: 'Phone' },
    { logicalName: 'websiteurl', type: 'String', displayName: 'Website', maxLength: 200, format: 'Url' },
    ...address(),
    {
      logicalName: 'leadsourcecode',
      type: 'Picklist',
      displayName: 'Lead Source',
      options: [
        { value: 1, label: 'Advertisement' },
        { value: 2, label: 'Employee Referral' },
        { value: 3, label: 'External Referral' },
        { value: 4, label: 'Partner' },
        { value: 5, label: 'Public Relations' },
        { value: 6, label: 'Seminar' },
        { value: 7, label: 'Trade Show' },
        { value: 8, label: 'Web' },
        { value: 9, label: 'Word of Mouth' },
        { value: 10, label: 'Other' },
      ],
    },
    {
      logicalName: 'leadqualitycode',
      type: 'Picklist',
      displayName: 'Rating',
      options: [
        { value: 1, label: 'Hot' },
        { value: 2, label: 'Warm' },
        { value: 3, label: 'Cold' },
      ],
    },
    {
      logicalName: 'revenue',
      type: 'Money',
      displayName: 'Annual Revenue',
      minValue: 0,
      maxValue: 100000000000000,
      precision: 2,
    },
    {
      logicalName: 'numberofemployees',
      type: 'Integer',
      displayName: 'No. of Employees',
      minValue: 0,
      maxValue: 1000000000,
    },
    { logicalName: 'description', type: 'Memo', displayName: 'Description', maxLength: 2000, format: 'TextArea' },
    { logicalName: 'parentaccountid', type: 'Lookup', displayName: 'Parent Account for lead', targets: ['account'] },
    { logicalName: 'parentcontactid', type: 'Lookup', displayName: 'Parent Contact for lead', targets: ['contact'] },
    LMS_USER_ID,
    ...statusColumns(
      [
        { value: 0, label: 'Open' },
        { value: 1, label: 'Qualified' },
        { value: 2, label: 'Disqualified' },
      ],
      [
        { value: 1, label: 'New' },
        { value: 2, label: 'Contacted' },
        { value: 3, label: 'Qualified' },
        { value: 4, label: 'Lost' },
        { value: 5, label: 'Cannot Contact' },
        { value: 6, label: 'No Longer Interested' },
        { value: 7, label: 'Canceled' },
      ],
    ),
    ...systemColumns(),
  ],
  keys: [
    {
      logicalName: 'lms_userid_key',
      schemaName: 'lms_UserIdKey',
      displayName: 'LMS User Id Key',
      attributes: ['lms_userid'],
    },
  ],
  navigation: [
    { name: 'parentaccountid', attribute: 'parentaccountid', target: 'account' },
    { name: 'parentcontactid', attribute: 'parentcontactid', target: 'contact' },
    { name: 'ownerid', attribute: 'ownerid', target: 'systemuser' },
  ],
});

export const ACCOUNT = defineEntity({
  logicalName: 'account',
  schemaName: 'Account',
  entitySetName: 'accounts',
  displayName: 'Account',
  displayCollectionName: 'Accounts',
  description:
    'Business that represents a customer or potential customer. The company that is billed in business transactions.',
  primaryIdAttribute: 'accountid',
  primaryNameAttribute: 'name',
  objectTypeCode: 1,
  ownershipType: 'UserOwned',
  isCustomEntity: false,
  readOnly: false,
  viewColumns: ['name', 'telephone1', 'address1_city', 'primarycontactid', 'accountnumber'],
  attributes: [
    {
      logicalName: 'accountid',
      type: 'Uniqueidentifier',
      displayName: 'Account',
      isPrimaryId: true,
      requiredLevel: 'SystemRequired',
      validForUpdate: false,
    },
    {
      logicalName: 'name',
      type: 'String',
      displayName: 'Account Name',
      maxLength: 160,
      format: 'Text',
      isPrimaryName: true,
      requiredLevel: 'ApplicationRequired',
    },
    { logicalName: 'accountnumber', type: 'String', displayName: 'Account Number', maxLength: 20, format: 'Text' },
    { logicalName: 'telephone1', type: 'String', displayName: 'Main Phone', maxLength: 50, format: 'Phone' },
    { logicalName: 'emailaddress1', type: 'String', displayName: 'Email', maxLength: 100, format: 'Email' },
    { logicalName: 'websiteurl', type: 'String', displayName: 'Website', maxLength: 200, format: 'Url' },
    ...address(),
    {
      logicalName: 'industrycode',
      type: 'Picklist',
      displayName: 'Industry',
      options: [
        { value: 1, label: 'Accounting' },
        { value: 3, label: 'Broadcasting Printing and Publishing' },
        { value: 6, label: 'Consulting' },
        { value: 7, label: 'Consumer Services' },
        { value: 9, label: 'Design, Direction and Creative Management' },
        { value: 12, label: 'Education' },
        { value: 13, label: 'Financial' },
        { value: 17, label: 'Inbound Capital' },
        { value: 19, label: 'Legal Services' },
        { value: 25, label: 'Retail' },
        { value: 33, label: 'Wholesale' },
      ],
    },
    {
      logicalName: 'revenue',
      type: 'Money',
      displayName: 'Annual Revenue',
      minValue: 0,
      maxValue: 100000000000000,
      precision: 2,
    },
    {
      logicalName: 'numberofemployees',
      type: 'Integer',
      displayName: 'Number of Employees',
      minValue: 0,
      maxValue: 1000000000,
    },
    { logicalName: 'description', type: 'Memo', displayName: 'Description', maxLength: 2000, format: 'TextArea' },
    { logicalName: 'primarycontactid', type: 'Lookup', displayName: 'Primary Contact', targets: ['contact'] },
    { logicalName: 'parentaccountid', type: 'Lookup', displayName: 'Parent Account', targets: ['account'] },
    ...statusColumns(STATE_ACTIVE, STATUS_ACTIVE),
    ...systemColumns(),
  ],
  keys: [
    {
      logicalName: 'accountnumber_key',
      schemaName: 'AccountNumberKey',
      displayName: 'Account Number Key',
      attributes: ['accountnumber'],
    },
  ],
  navigation: [
    { name: 'primarycontactid', attribute: 'primarycontactid', target: 'contact' },
    { name: 'parentaccountid', attribute: 'parentaccountid', target: 'account' },
    { name: 'ownerid', attribute: 'ownerid', target: 'systemuser' },
  ],
});

export const SYSTEMUSER = defineEntity({
  logicalName: 'systemuser',
  schemaName: 'SystemUser',
  entitySetName: 'systemusers',
  displayName: 'User',
  displayCollectionName: 'Users',
  description: 'Person with access to the Microsoft CRM system and who owns objects in the Microsoft CRM database.',
  primaryIdAttribute: 'systemuserid',
  primaryNameAttribute: 'fullname',
  objectTypeCode: 8,
  ownershipType: 'BusinessOwned',
  isCustomEntity: false,
  readOnly: true,
  viewColumns: ['fullname', 'domainname', 'internalemailaddress'],
  attributes: [
    {
      logicalName: 'systemuserid',
      type: 'Uniqueidentifier',
      displayName: 'User',
      isPrimaryId: true,
      requiredLevel: 'SystemRequired',
      ...readOnly,
    },
    {
      logicalName: 'fullname',
      type: 'String',
      displayName: 'Full Name',
      maxLength: 200,
      format: 'Text',
      isPrimaryName: true,
      ...readOnly,
    },
    { logicalName: 'firstname', type: 'String', displayName: 'First Name', maxLength: 64, format: 'Text', ...readOnly },
    { logicalName: 'lastname', type: 'String', displayName: 'Last Name', maxLength: 64, format: 'Text', ...readOnly },
    {
      logicalName: 'domainname',
      type: 'String',
      displayName: 'User Name',
      maxLength: 1024,
      format: 'Text',
      requiredLevel: 'SystemRequired',
      ...readOnly,
    },
    {
      logicalName: 'internalemailaddress',
      type: 'String',
      displayName: 'Primary Email',
      maxLength: 100,
      format: 'Email',
      ...readOnly,
    },
    {
      logicalName: 'azureactivedirectoryobjectid',
      type: 'Uniqueidentifier',
      displayName: 'Azure AD Object ID',
      ...readOnly,
    },
    {
      logicalName: 'businessunitid',
      type: 'Lookup',
      displayName: 'Business Unit',
      targets: ['businessunit'],
      ...readOnly,
    },
    {
      logicalName: 'isdisabled',
      type: 'Boolean',
      displayName: 'Status',
      options: [
        { value: 0, label: 'Enabled' },
        { value: 1, label: 'Disabled' },
      ],
      ...readOnly,
    },
    { logicalName: 'createdon', type: 'DateTime', displayName: 'Created On', format: 'DateAndTime', ...readOnly },
    { logicalName: 'modifiedon', type: 'DateTime', displayName: 'Modified On', format: 'DateAndTime', ...readOnly },
    { logicalName: 'versionnumber', type: 'BigInt', displayName: 'Version Number', ...readOnly },
  ],
  keys: [],
  navigation: [],
});

export const ENTITIES: EntitySpec[] = [ACCOUNT, CONTACT, LEAD, SYSTEMUSER];

export function entityByLogicalName(name: string): EntitySpec | undefined {
  return ENTITIES.find((entity) => entity.logicalName === name);
}

export function entityBySetName(name: string): EntitySpec | undefined {
  return ENTITIES.find((entity) => entity.entitySetName === name);
}

export function attributeOf(entity: EntitySpec, logicalName: string): AttributeSpec | undefined {
  return entity.attributes.find((attribute) => attribute.logicalName === logicalName);
}

export function isLookup(attribute: AttributeSpec): boolean {
  return attribute.type === 'Lookup' || attribute.type === 'Customer' || attribute.type === 'Owner';
}

/** The Web API name of a column: lookups surface as `_<name>_value`. */
export function propertyName(attribute: AttributeSpec): string {
  return isLookup(attribute) ? `_${attribute.logicalName}_value` : attribute.logicalName;
}

/** The attribute behind a Web API property name (`lastname`, `_parentcustomerid_value`). */
export function attributeByProperty(entity: EntitySpec, property: string): AttributeSpec | undefined {
  const lookup = /^_(.+)_value$/.exec(property);
  if (lookup?.[1]) {
    const attribute = attributeOf(entity, lookup[1]);
    return attribute && isLookup(attribute) ? attribute : undefined;
  }
  const attribute = attributeOf(entity, property);
  return attribute && !isLookup(attribute) ? attribute : undefined;
}
