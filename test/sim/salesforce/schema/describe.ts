import type { FieldDef, FieldType, ObjectDef } from './types.ts';

/** Builds describe and describeGlobal bodies with every key the real ones carry (jsforce's DescribeSObjectResult). */

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  picklist: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

const TEXT_TYPES = new Set<FieldType>(['string', 'textarea', 'email', 'phone', 'url', 'picklist']);
const NUMBER_TYPES = new Set<FieldType>(['double', 'currency', 'percent']);

function extraTypeInfo(field: FieldDef): string | null {
  if (field.type === 'textarea') return 'plaintextarea';
  if (field.name === 'Name' && field.length === 121) return 'personname';
  if (field.name === 'PhotoUrl') return 'imageurl';
  if (field.name === 'OwnerId' && (field.referenceTo?.length ?? 0) > 1) return 'externallookup';
  return null;
}

export function describeField(field: FieldDef): Record<string, unknown> {
  const length =
    field.type === 'id' || field.type === 'reference' ? 18 : TEXT_TYPES.has(field.type) ? (field.length ?? 0) : 0;
  const groupable = !field.longText && !NUMBER_TYPES.has(field.type) && field.type !== 'datetime';
  return {
    aggregatable: !field.longText,
    aiPredictionField: false,
    autoNumber: field.autoNumber ?? false,
    byteLength: length * 3,
    calculated: field.calculated ?? false,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: field.caseSensitive ?? false,
    compoundFieldName: null,
    controllerName: null,
    createable: field.createable,
    custom: field.custom ?? false,
    defaultValue: field.type === 'boolean' ? (field.defaultValue ?? false) : null,
    defaultValueFormula: null,
    defaultedOnCreate: field.defaultedOnCreate ?? false,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: field.type === 'int' ? (field.digits ?? 9) : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: field.externalId ?? false,
    extraTypeInfo: extraTypeInfo(field),
    filterable: !field.longText,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable,
    highScaleNumber: false,
    htmlFormatted: field.htmlFormatted ?? false,
    idLookup: field.idLookup ?? false,
    inlineHelpText: field.inlineHelpText ?? null,
    label: field.label,
    length,
    mask: null,
    maskType: null,
    name: field.name,
    nameField: field.nameField ?? false,
    namePointing: (field.referenceTo?.length ?? 0) > 1,
    nillable: field.nillable,
    permissionable: field.nillable && field.createable && field.name !== 'Id',
    picklistValues: (field.picklistValues ?? []).map((entry) => ({
      active: true,
      defaultValue: entry.defaultValue ?? false,
      label: entry.label ?? entry.value,
      validFor: null,
      value: entry.value,
    })),
    polymorphicForeignKey: (field.referenceTo?.length ?? 0) > 1,
    precision: NUMBER_TYPES.has(field.type) ? (field.precision ?? 18) : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: field.referenceTo ?? [],
    relationshipName: field.relationshipName ?? null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: field.restrictedPicklist ?? false,
    scale: NUMBER_TYPES.has(field.type) ? (field.scale ?? 0) : 0,
    searchPrefilterable: field.type === 'reference',
    soapType: SOAP_TYPES[field.type],
    sortable: !field.longText,
    type: field.type,
    unique: field.unique ?? false,
    updateable: field.updateable,
    writeRequiresMasterRead: false,
  };
}

const CHILD_RELATIONSHIPS: Record<string, { childSObject: string; field: string; relationshipName: string }[]> = {
  Account: [
    { childSObject: 'Account', field: 'ParentId', relationshipName: 'ChildAccounts' },
    { childSObject: 'Contact', field: 'AccountId', relationshipName: 'Contacts' },
    { childSObject: 'Lead', field: 'ConvertedAccountId', relationshipName: 'ConvertedLeads' },
  ],
  Contact: [
    { childSObject: 'Contact', field: 'ReportsToId', relationshipName: 'ReportsTo' },
    { childSObject: 'Lead', field: 'ConvertedContactId', relationshipName: 'ConvertedLeads' },
  ],
  Lead: [],
};

const MASTER_RECORD_TYPE = '012000000000000AAA';

function objectUrls(object: ObjectDef, version: string, instanceUrl: string) {
  const base = `/services/data/v${version}/sobjects/${object.name}`;
  return {
    compactLayouts: `${base}/describe/compactLayouts`,
    rowTemplate: `${base}/{ID}`,
    approvalLayouts: `${base}/describe/approvalLayouts`,
    uiDetailTemplate: `${instanceUrl}/{ID}`,
    uiEditTemplate: `${instanceUrl}/{ID}/e`,
    defaultValues: `${base}/defaultValues?recordTypeId&fields`,
    listviews: `${base}/listviews`,
    describe: `${base}/describe`,
    uiNewRecord: `${instanceUrl}/${object.keyPrefix}/e`,
    quickActions: `${base}/quickActions`,
    layouts: `${base}/describe/layouts`,
    sobject: base,
  };
}

/** The object-level flags, shared by describe and the describeGlobal entries. */
function objectFlags(object: ObjectDef) {
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: true,
    custom: false,
    customSetting: false,
    deepCloneable: false,
    deletable: true,
    deprecatedAndHidden: false,
    feedEnabled: true,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: object.keyPrefix,
    label: object.label,
    labelPlural: object.labelPlural,
    layoutable: true,
    mergeable: true,
    mruEnabled: true,
    name: object.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: true,
    updateable: true,
  };
}

export function describeGlobalEntry(object: ObjectDef, version: string, instanceUrl: string) {
  const urls = objectUrls(object, version, instanceUrl);
  return {
    ...objectFlags(object),
    urls: { sobject: urls.sobject, describe: urls.describe, rowTemplate: urls.rowTemplate },
  };
}

export function describeSObject(object: ObjectDef, version: string, instanceUrl: string): Record<string, unknown> {
  return {
    actionOverrides: [],
    ...objectFlags(object),
    childRelationships: (CHILD_RELATIONSHIPS[object.name] ?? []).map((child) => ({
      cascadeDelete: false,
      childSObject: child.childSObject,
      deprecatedAndHidden: false,
      field: child.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: child.relationshipName,
      restrictedDelete: false,
    })),
    compactLayoutable: true,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields: object.fields.map(describeField),
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [
      {
        active: true,
        available: true,
        defaultRecordTypeMapping: true,
        developerName: 'Master',
        master: true,
        name: 'Master',
        recordTypeId: MASTER_RECORD_TYPE,
        urls: { layout: `/services/data/v${version}/sobjects/${object.name}/describe/layouts/${MASTER_RECORD_TYPE}` },
      },
    ],
    searchLayoutable: true,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [
      { label: 'All accounts', name: 'everything' },
      { label: 'My accounts', name: 'mine' },
      { label: 'My team’s accounts', name: 'team' },
    ].map((scope) => ({ ...scope, label: scope.label.replace('accounts', object.labelPlural.toLowerCase()) })),
    urls: objectUrls(object, version, instanceUrl),
  };
}
