import type { AttributeSpec, EntitySpec } from './entities.ts';
import { DataverseError, dataverseErrors } from './errors.ts';
import type { FieldValue } from './store.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** The EDM type a column has on the wire (used in payload and `$filter` type errors). */
export function edmType(attribute: AttributeSpec): string {
  switch (attribute.type) {
    case 'Uniqueidentifier':
    case 'Lookup':
    case 'Customer':
    case 'Owner':
      return 'Edm.Guid';
    case 'String':
    case 'Memo':
      return 'Edm.String';
    case 'Integer':
    case 'Picklist':
    case 'State':
    case 'Status':
      return 'Edm.Int32';
    case 'BigInt':
      return 'Edm.Int64';
    case 'Money':
      return 'Edm.Decimal';
    case 'Boolean':
      return 'Edm.Boolean';
    case 'DateTime':
      return attribute.format === 'DateOnly' ? 'Edm.Date' : 'Edm.DateTimeOffset';
  }
}

function describeLiteral(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Converts one JSON property of a create/update body to the stored value, with the checks the platform makes:
 * EDM type (payload error 0x80048d19), option ranges and numeric bounds (0x80044331). MaxLength is checked separately
 * so its error names the attribute the way Dataverse does.
 */
export function fromJson(entity: EntitySpec, attribute: AttributeSpec, value: unknown): FieldValue {
  if (value === null) return null;
  const cannotConvert = () =>
    dataverseErrors.payload(
      entity.entitySetName,
      `Cannot convert the literal '${describeLiteral(value)}' to the expected type '${edmType(attribute)}'.`,
    );
  switch (attribute.type) {
    case 'String':
    case 'Memo':
      if (typeof value !== 'string') throw cannotConvert();
      return value;
    case 'Uniqueidentifier':
      if (typeof value !== 'string' || !isGuid(value)) throw cannotConvert();
      return value.toLowerCase();
    case 'Integer':
    case 'BigInt':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw cannotConvert();
      checkBounds(entity, attribute, value);
      return value;
    case 'Money':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw cannotConvert();
      checkBounds(entity, attribute, value);
      return Math.round(value * 100) / 100;
    case 'Boolean':
      if (typeof value !== 'boolean') throw cannotConvert();
      return value;
    case 'Picklist':
    case 'State':
    case 'Status': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw cannotConvert();
      const options = attribute.options ?? [];
      if (!options.some((option) => option.value === value)) {
        throw dataverseErrors.outOfRange(
          value,
          attribute.logicalName,
          entity.logicalName,
          options.map((o) => o.value).join(','),
        );
      }
      return value;
    }
    case 'DateTime': {
      if (typeof value !== 'string') throw cannotConvert();
      if (attribute.format === 'DateOnly') {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw cannotConvert();
        return value;
      }
      const parsed = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
        ? Date.parse(value)
        : Number.NaN;
      if (Number.isNaN(parsed)) throw cannotConvert();
      return `${new Date(parsed).toISOString().slice(0, 19)}Z`;
    }
    case 'Lookup':
    case 'Customer':
    case 'Owner':
      throw dataverseErrors.lookupWrite();
  }
}

function checkBounds(entity: EntitySpec, attribute: AttributeSpec, value: number): void {
  if (
    (attribute.minValue !== undefined && value < attribute.minValue) ||
    (attribute.maxValue !== undefined && value > attribute.maxValue)
  ) {
    throw new DataverseError(
      400,
      '0x80044331',
      `A validation error occurred.  The value ${value} of '${attribute.logicalName}' on record of type '${entity.logicalName}' is outside the valid range. Accepted Values: ${attribute.minValue} to ${attribute.maxValue}`,
    );
  }
}

export function checkLength(entity: EntitySpec, attribute: AttributeSpec, value: FieldValue): void {
  if (typeof value === 'string' && attribute.maxLength !== undefined && value.length > attribute.maxLength) {
    throw dataverseErrors.tooLong(attribute.logicalName, entity.logicalName, attribute.maxLength);
  }
}
