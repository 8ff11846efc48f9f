import { ENTITIES, propertyName } from './entities.ts';
import { edmType } from './values.ts';

let cached: string | undefined;

/** `$metadata`: the CSDL of the simulated tables and WhoAmI, for OData clients that read the service model. */
export function csdl(): string {
  if (cached) return cached;
  const types = ENTITIES.map((entity) => {
    const properties = entity.attributes
      .map(
        (attribute) =>
          `<Property Name="${propertyName(attribute)}" Type="${edmType(attribute)}"${attribute.isPrimaryId ? ' Nullable="false"' : ''} />`,
      )
      .join('');
    const navigation = entity.navigation
      .map((nav) => `<NavigationProperty Name="${nav.name}" Type="mscrm.${nav.target}" />`)
      .join('');
    return `<EntityType Name="${entity.logicalName}" BaseType="mscrm.crmbaseentity"><Key><PropertyRef Name="${entity.primaryIdAttribute}" /></Key>${properties}${navigation}</EntityType>`;
  }).join('');
  const sets = ENTITIES.map(
    (entity) =>
      `<EntitySet Name="${entity.entitySetName}" EntityType="Microsoft.Dynamics.CRM.${entity.logicalName}" />`,
  ).join('');
  cached = `<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="Microsoft.Dynamics.CRM" Alias="mscrm" xmlns="http://docs.oasis-open.org/odata/ns/edm"><EntityType Name="crmbaseentity" Abstract="true" />${types}<ComplexType Name="WhoAmIResponse"><Property Name="BusinessUnitId" Type="Edm.Guid" Nullable="false" /><Property Name="UserId" Type="Edm.Guid" Nullable="false" /><Property Name="OrganizationId" Type="Edm.Guid" Nullable="false" /></ComplexType><Function Name="WhoAmI"><ReturnType Type="mscrm.WhoAmIResponse" Nullable="false" /></Function><EntityContainer Name="System">${sets}<FunctionImport Name="WhoAmI" Function="Microsoft.Dynamics.CRM.WhoAmI" /></EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`;
  return cached;
}
