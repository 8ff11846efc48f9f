import type { SimResponse } from '../http.ts';
import { type AlternateKeySpec, type AttributeSpec, ENTITIES, type EntitySpec, metadataId } from './entities.ts';
import { DataverseError, dataverseErrors } from './errors.ts';
import { compileFilter, type FilterSchema, type Value } from './filter.ts';
import { type KeyPart, parseExpand, parseSegment } from './odata-url.ts';
import { checkQueryOptions } from './query.ts';
import { odataJson } from './response.ts';

/**
 * `EntityDefinitions`: the metadata of the simulated tables in the shapes of the real EntityMetadata,
 * AttributeMetadata (with its derived types) and EntityKeyMetadata (query-metadata-web-api.md). As in OData, a
 * `$select` on the base AttributeMetadata cannot name a derived-type property such as MaxLength: cast the segment
 * (`/Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata`) or expand without `$select`.
 */

type Json = Record<string, unknown>;

function label(text: string, owner: string): Json {
  const localized = {
    Label: text,
    LanguageCode: 1033,
    IsManaged: true,
    MetadataId: metadataId(`label:${owner}`),
    HasChanged: null,
  };
  return { LocalizedLabels: text ? [localized] : [], UserLocalizedLabel: text ? localized : null };
}

function managed(value: boolean, logicalName: string): Json {
  return { Value: value, CanBeChanged: true, ManagedPropertyLogicalName: logicalName };
}

const TYPE_NAMES: Record<AttributeSpec['type'], [string, string]> = {
  Uniqueidentifier: ['UniqueIdentifierAttributeMetadata', 'UniqueidentifierType'],
  String: ['StringAttributeMetadata', 'StringType'],
  Memo: ['MemoAttributeMetadata', 'MemoType'],
  Integer: ['IntegerAttributeMetadata', 'IntegerType'],
  BigInt: ['BigIntAttributeMetadata', 'BigIntType'],
  Money: ['MoneyAttributeMetadata', 'MoneyType'],
  Boolean: ['BooleanAttributeMetadata', 'BooleanType'],
  DateTime: ['DateTimeAttributeMetadata', 'DateTimeType'],
  Picklist: ['PicklistAttributeMetadata', 'PicklistType'],
  State: ['StateAttributeMetadata', 'StateType'],
  Status: ['StatusAttributeMetadata', 'StatusType'],
  Lookup: ['LookupAttributeMetadata', 'LookupType'],
  Customer: ['LookupAttributeMetadata', 'CustomerType'],
  Owner: ['LookupAttributeMetadata', 'OwnerType'],
};

function baseAttribute(entity: EntitySpec, attribute: AttributeSpec): Json {
  return {
    MetadataId: attribute.metadataId,
    HasChanged: null,
    AttributeOf: null,
    AttributeType: attribute.type,
    ColumnNumber: attribute.columnNumber,
    DeprecatedVersion: null,
    IntroducedVersion: attribute.isCustom ? '1.0.0.0' : '5.0.0.0',
    EntityLogicalName: entity.logicalName,
    IsCustomAttribute: attribute.isCustom,
    IsPrimaryId: attribute.isPrimaryId,
    IsValidODataAttribute: true,
    IsPrimaryName: attribute.isPrimaryName,
    IsValidForCreate: attribute.validForCreate,
    IsValidForRead: true,
    IsValidForUpdate: attribute.validForUpdate,
    IsLogical: false,
    IsManaged: !attribute.isCustom,
    IsFilterable: true,
    IsRetrievable: true,
    IsSearchable: attribute.type === 'String',
    LogicalName: attribute.logicalName,
    SchemaName: attribute.schemaName,
    ExternalName: null,
    SourceType: 0,
    AttributeTypeName: { Value: TYPE_NAMES[attribute.type][1] },
    Description: label(attribute.description, `${entity.logicalName}.${attribute.logicalName}.description`),
    DisplayName: label(attribute.displayName, `${entity.logicalName}.${attribute.logicalName}`),
    IsAuditEnabled: managed(true, 'canmodifyauditsettings'),
    IsValidForAdvancedFind: managed(true, 'canmodifysearchsettings'),
    RequiredLevel: {
      Value: attribute.requiredLevel,
      CanBeChanged: !attribute.isPrimaryId,
      ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings',
    },
  };
}

function optionSet(entity: EntitySpec, attribute: AttributeSpec): Json {
  const options = (attribute.options ?? []).map((option) => ({
    Value: option.value,
    Color: null,
    IsManaged: true,
    ExternalValue: '',
    Label: label(option.label, `${entity.logicalName}.${attribute.logicalName}.${option.value}`),
    Description: label('', `${entity.logicalName}.${attribute.logicalName}.${option.value}.description`),
  }));
  const common = {
    MetadataId: metadataId(`${entity.logicalName}.${attribute.logicalName}.optionset`),
    Name: `${entity.logicalName}_${attribute.logicalName}`,
    IsGlobal: false,
    IsCustomOptionSet: attribute.isCustom,
    DisplayName: label(attribute.displayName, `${entity.logicalName}.${attribute.logicalName}.optionset`),
  };
  if (attribute.type === 'Boolean') {
    return { ...common, OptionSetType: 'Boolean', FalseOption: options[0] ?? null, TrueOption: options[1] ?? null };
  }
  return { ...common, OptionSetType: attribute.type === 'Picklist' ? 'Picklist' : attribute.type, Options: options };
}

/** Properties of the derived AttributeMetadata type of a column. */
function derivedProperties(attribute: AttributeSpec): Json {
  switch (attribute.type) {
    case 'String':
      return {
        MaxLength: attribute.maxLength ?? null,
        Format: attribute.format ?? 'Text',
        FormatName: { Value: attribute.format ?? 'Text' },
        DatabaseLength: (attribute.maxLength ?? 0) * 2,
        ImeMode: 'Auto',
        IsLocalizable: false,
        YomiOf: null,
      };
    case 'Memo':
      return {
        MaxLength: attribute.maxLength ?? null,
        Format: 'TextArea',
        FormatName: { Value: 'TextArea' },
        ImeMode: 'Auto',
        IsLocalizable: false,
      };
    case 'Integer':
      return {
        MinValue: attribute.minValue ?? -2147483648,
        MaxValue: attribute.maxValue ?? 2147483647,
        Format: 'None',
      };
    case 'BigInt':
      return { MinValue: -(2 ** 63), MaxValue: 2 ** 63 };
    case 'Money':
      return {
        MinValue: attribute.minValue ?? -922337203685477,
        MaxValue: attribute.maxValue ?? 922337203685477,
        Precision: attribute.precision ?? 2,
        PrecisionSource: 2,
        ImeMode: 'Auto',
      };
    case 'Boolean':
      return { DefaultValue: false };
    case 'DateTime':
      return {
        Format: attribute.format ?? 'DateAndTime',
        DateTimeBehavior: { Value: attribute.format === 'DateOnly' ? 'DateOnly' : 'UserLocal' },
        MinSupportedValue: '1753-01-01T00:00:00Z',
        MaxSupportedValue: '9999-12-30T23:59:59Z',
      };
    case 'Picklist':
      return { DefaultFormValue: -1 };
    case 'State':
    case 'Status':
      return {};
    case 'Lookup':
    case 'Customer':
    case 'Owner':
      return { Targets: attribute.targets ?? [], Format: 'None' };
    case 'Uniqueidentifier':
      return {};
  }
}

function attributeJson(entity: EntitySpec, attribute: AttributeSpec, withOptionSet: boolean): Json {
  const json: Json = {
    '@odata.type': `#Microsoft.Dynamics.CRM.${TYPE_NAMES[attribute.type][0]}`,
    ...baseAttribute(entity, attribute),
    ...derivedProperties(attribute),
  };
  if (withOptionSet && attribute.options) json.OptionSet = optionSet(entity, attribute);
  return json;
}

function keyJson(entity: EntitySpec, key: AlternateKeySpec): Json {
  return {
    MetadataId: key.metadataId,
    HasChanged: null,
    LogicalName: key.logicalName,
    SchemaName: key.schemaName,
    EntityLogicalName: entity.logicalName,
    KeyAttributes: key.attributes,
    EntityKeyIndexStatus: 'Active',
    IsManaged: false,
    IsSecondaryKey: false,
    AsyncJob: null,
    DisplayName: label(key.displayName, `${entity.logicalName}.key.${key.logicalName}`),
    IsCustomizable: managed(true, 'iscustomizable'),
  };
}

function entityJson(entity: EntitySpec): Json {
  return {
    MetadataId: entity.metadataId,
    HasChanged: null,
    LogicalName: entity.logicalName,
    SchemaName: entity.schemaName,
    EntitySetName: entity.entitySetName,
    LogicalCollectionName: entity.entitySetName,
    CollectionSchemaName: `${entity.schemaName}s`,
    PrimaryIdAttribute: entity.primaryIdAttribute,
    PrimaryNameAttribute: entity.primaryNameAttribute,
    ObjectTypeCode: entity.objectTypeCode,
    OwnershipType: entity.ownershipType,
    TableType: 'Standard',
    IsCustomEntity: entity.isCustomEntity,
    IsActivity: false,
    IsIntersect: false,
    IsManaged: true,
    IsValidForAdvancedFind: true,
    IsValidODataEntity: true,
    IntroducedVersion: '5.0.0.0',
    DisplayName: label(entity.displayName, entity.logicalName),
    DisplayCollectionName: label(entity.displayCollectionName, `${entity.logicalName}.collection`),
    Description: label(entity.description, `${entity.logicalName}.description`),
    IsAuditEnabled: managed(true, 'canmodifyauditsettings'),
    ChangeTrackingEnabled: true,
  };
}

const ENTITY_PROPERTIES = new Set(Object.keys(entityJson(ENTITIES[0] as EntitySpec)));
const BASE_ATTRIBUTE_PROPERTIES = new Set([
  '@odata.type',
  ...Object.keys(baseAttribute(ENTITIES[0] as EntitySpec, (ENTITIES[0] as EntitySpec).attributes[0] as AttributeSpec)),
]);
const KEY_PROPERTIES = new Set(
  Object.keys(
    keyJson(ENTITIES[0] as EntitySpec, {
      logicalName: '',
      schemaName: '',
      displayName: '',
      attributes: [],
      metadataId: '',
    }),
  ),
);

function select(json: Json, selection: string[] | undefined): Json {
  if (!selection) return json;
  const out: Json = {};
  if (json['@odata.type']) out['@odata.type'] = json['@odata.type'];
  for (const name of selection) out[name] = json[name] ?? null;
  out.MetadataId = json.MetadataId;
  return out;
}

function parseSelection(text: string | null | undefined, allowed: Set<string>, typeName: string): string[] | undefined {
  if (!text) return undefined;
  return text.split(',').map((raw) => {
    const name = raw.trim();
    if (!allowed.has(name)) {
      throw new DataverseError(
        400,
        '0x80060888',
        `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${typeName}'.`,
      );
    }
    return name;
  });
}

function jsonSchema(allowed: Set<string>, typeName: string): FilterSchema<Json> {
  return {
    typeOf: (path) => (allowed.has(path.split('/')[0] ?? '') ? 'Edm.Untyped' : undefined),
    valueOf: (row, path) => {
      let value: unknown = row;
      for (const part of path.split('/')) value = (value as Json | null)?.[part];
      return (typeof value === 'object' || value === undefined ? null : value) as Value;
    },
    unknownProperty: (path) =>
      new DataverseError(
        400,
        '0x80060888',
        `Could not find a property named '${path}' on type 'Microsoft.Dynamics.CRM.${typeName}'.`,
      ),
  };
}

function findEntity(key: KeyPart[]): EntitySpec {
  const [part] = key;
  const entity =
    part?.name === 'LogicalName'
      ? ENTITIES.find((candidate) => candidate.logicalName === part.value)
      : part?.guid
        ? ENTITIES.find((candidate) => candidate.metadataId === part.value)
        : undefined;
  if (!entity) {
    throw new DataverseError(
      404,
      '0x80060888',
      `Could not find entity with ${part?.name === 'LogicalName' ? `LogicalName = '${String(part.value)}'` : `MetadataId = '${String(part?.value)}'`}.`,
    );
  }
  return entity;
}

const ATTRIBUTE_CASTS: Record<string, AttributeSpec['type'][]> = {
  StringAttributeMetadata: ['String'],
  MemoAttributeMetadata: ['Memo'],
  IntegerAttributeMetadata: ['Integer'],
  BigIntAttributeMetadata: ['BigInt'],
  MoneyAttributeMetadata: ['Money'],
  BooleanAttributeMetadata: ['Boolean'],
  DateTimeAttributeMetadata: ['DateTime'],
  PicklistAttributeMetadata: ['Picklist'],
  StateAttributeMetadata: ['State'],
  StatusAttributeMetadata: ['Status'],
  LookupAttributeMetadata: ['Lookup', 'Customer', 'Owner'],
  UniqueIdentifierAttributeMetadata: ['Uniqueidentifier'],
};

function attributeList(entity: EntitySpec, options: URLSearchParams, cast: string | undefined): Json[] {
  const types = cast ? ATTRIBUTE_CASTS[cast] : undefined;
  if (cast && !types) throw dataverseErrors.segmentNotFound(`Microsoft.Dynamics.CRM.${cast}`);
  const attributes = entity.attributes.filter((attribute) => !types || types.includes(attribute.type));
  const allowed = new Set(BASE_ATTRIBUTE_PROPERTIES);
  const first = attributes[0];
  if (cast && first) for (const name of Object.keys(derivedProperties(first))) allowed.add(name);
  const typeName = cast ?? 'AttributeMetadata';
  const selection = parseSelection(options.get('$select'), allowed, typeName);
  const withOptionSet = parseExpand(options.get('$expand')).has('OptionSet');
  let rows = attributes.map((attribute) => attributeJson(entity, attribute, withOptionSet));
  const filter = options.get('$filter');
  if (filter) rows = rows.filter(compileFilter(filter, jsonSchema(allowed, typeName)));
  return rows.map((row) => {
    const selected = select(row, selection);
    if (withOptionSet && row.OptionSet) selected.OptionSet = row.OptionSet;
    return selected;
  });
}

function keyList(entity: EntitySpec, options: URLSearchParams): Json[] {
  const selection = parseSelection(options.get('$select'), KEY_PROPERTIES, 'EntityKeyMetadata');
  return entity.keys.map((key) => select(keyJson(entity, key), selection));
}

function entityWithExpansions(entity: EntitySpec, query: URLSearchParams): Json {
  const selection = parseSelection(query.get('$select'), ENTITY_PROPERTIES, 'EntityMetadata');
  const json = select(entityJson(entity), selection);
  for (const [name, options] of parseExpand(query.get('$expand'))) {
    if (name === 'Attributes') json.Attributes = attributeList(entity, options, undefined);
    else if (name === 'Keys') json.Keys = keyList(entity, options);
    else
      throw new DataverseError(
        400,
        '0x80060888',
        `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.EntityMetadata'.`,
      );
  }
  return json;
}

function selectionSuffix(query: URLSearchParams): string {
  const text = query.get('$select');
  return text ? `(${text})` : '';
}

/** Serves `EntityDefinitions…` below `<org>/api/data/v9.2/`. */
export function handleMetadata(segments: string[], query: URLSearchParams, serviceRoot: string): SimResponse {
  checkQueryOptions(query, new Set(['$select', '$filter', '$expand']));
  const context = `${serviceRoot}$metadata#EntityDefinitions`;
  const [head = '', navigation, cast, ...extra] = segments;
  const segment = parseSegment(head);
  if (segment.name !== 'EntityDefinitions' || extra.length > 0) throw dataverseErrors.segmentNotFound(extra[0] ?? head);
  if (!segment.key) {
    if (navigation) throw dataverseErrors.segmentNotFound(navigation);
    const selection = parseSelection(query.get('$select'), ENTITY_PROPERTIES, 'EntityMetadata');
    let rows = ENTITIES.map(entityJson);
    const filter = query.get('$filter');
    if (filter) rows = rows.filter(compileFilter(filter, jsonSchema(ENTITY_PROPERTIES, 'EntityMetadata')));
    return odataJson(200, {
      '@odata.context': `${context}${selectionSuffix(query)}`,
      value: rows.map((row) => select(row, selection)),
    });
  }
  const entity = findEntity(segment.key);
  const entityContext = `${context}(${entity.metadataId})`;
  if (!navigation) {
    return odataJson(200, {
      '@odata.context': `${context}${selectionSuffix(query)}/$entity`,
      ...entityWithExpansions(entity, query),
    });
  }
  const nav = parseSegment(navigation);
  if (nav.name === 'Attributes') {
    const castName = cast?.replace(/^Microsoft\.Dynamics\.CRM\./, '');
    if (nav.key) {
      const name = nav.key[0]?.value;
      const attribute = entity.attributes.find(
        (candidate) => candidate.logicalName === name || candidate.metadataId === name,
      );
      if (!attribute)
        throw new DataverseError(404, '0x80060888', `Could not find attribute with LogicalName = '${String(name)}'.`);
      const allowed = new Set([...BASE_ATTRIBUTE_PROPERTIES, ...Object.keys(derivedProperties(attribute))]);
      const selection = parseSelection(query.get('$select'), allowed, TYPE_NAMES[attribute.type][0]);
      return odataJson(200, {
        '@odata.context': `${entityContext}/Attributes/$entity`,
        ...select(attributeJson(entity, attribute, parseExpand(query.get('$expand')).has('OptionSet')), selection),
      });
    }
    const value = attributeList(entity, query, castName);
    const castSuffix = castName ? `/Microsoft.Dynamics.CRM.${castName}` : '';
    return odataJson(200, {
      '@odata.context': `${entityContext}/Attributes${castSuffix}${selectionSuffix(query)}`,
      value,
    });
  }
  if (nav.name === 'Keys') {
    return odataJson(200, {
      '@odata.context': `${entityContext}/Keys${selectionSuffix(query)}`,
      value: keyList(entity, query),
    });
  }
  throw dataverseErrors.segmentNotFound(navigation);
}
