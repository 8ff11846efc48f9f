import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListeningOrigins } from '../common/origins.ts';
import type { DynamicsSimulator } from './index.ts';
import { ADMIN, CONTOSO, signIn, startDynamics, webApi } from './testing.ts';

let sim: DynamicsSimulator;
let listening: ListeningOrigins;
let api: ReturnType<typeof webApi>;
let root: string;

beforeAll(async () => {
  ({ sim, listening } = await startDynamics({ records: { accounts: 2, contacts: 2, leads: 2 } }));
  api = webApi(sim, 'contoso', (await signIn(sim, ADMIN, CONTOSO)).accessToken);
  root = `${sim.origins.httpUrl('env:contoso')}/api/data/v9.2/`;
});
afterAll(async () => listening.close());

type Json = Record<string, unknown>;

async function get(path: string): Promise<Json> {
  const response = await api(path);
  expect(response.status).toBe(200);
  return (await response.json()) as Json;
}

describe('EntityDefinitions', () => {
  it('lists tables with $select and filters them', async () => {
    const list = await get('EntityDefinitions?$select=LogicalName,EntitySetName,PrimaryIdAttribute');
    expect(list['@odata.context']).toBe(
      `${root}$metadata#EntityDefinitions(LogicalName,EntitySetName,PrimaryIdAttribute)`,
    );
    const value = list.value as Json[];
    expect(value.map((entity) => entity.LogicalName)).toEqual(['account', 'contact', 'lead', 'systemuser']);
    expect(value.find((entity) => entity.LogicalName === 'contact')).toEqual({
      LogicalName: 'contact',
      EntitySetName: 'contacts',
      PrimaryIdAttribute: 'contactid',
      MetadataId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const filtered = await get("EntityDefinitions?$select=LogicalName&$filter=LogicalName eq 'lead'");
    expect((filtered.value as Json[]).map((entity) => entity.LogicalName)).toEqual(['lead']);
  });

  it('expands Attributes with the derived metadata types and Keys', async () => {
    const contact = await get(
      "EntityDefinitions(LogicalName='contact')?$select=LogicalName,DisplayName&$expand=Attributes,Keys",
    );
    expect(contact.LogicalName).toBe('contact');
    expect(contact.DisplayName).toMatchObject({ UserLocalizedLabel: { Label: 'Contact', LanguageCode: 1033 } });
    const attributes = contact.Attributes as Json[];
    const lastname = attributes.find((attribute) => attribute.LogicalName === 'lastname');
    expect(lastname).toMatchObject({
      '@odata.type': '#Microsoft.Dynamics.CRM.StringAttributeMetadata',
      AttributeType: 'String',
      MaxLength: 50,
      IsValidForCreate: true,
      IsValidForUpdate: true,
      RequiredLevel: { Value: 'ApplicationRequired', CanBeChanged: true },
      DisplayName: { UserLocalizedLabel: { Label: 'Last Name' } },
    });
    expect(attributes.find((attribute) => attribute.LogicalName === 'fullname')).toMatchObject({
      IsValidForCreate: false,
      IsValidForUpdate: false,
      IsPrimaryName: true,
    });
    expect(attributes.find((attribute) => attribute.LogicalName === 'parentcustomerid')).toMatchObject({
      '@odata.type': '#Microsoft.Dynamics.CRM.LookupAttributeMetadata',
      AttributeType: 'Customer',
      Targets: ['account', 'contact'],
    });
    expect(attributes.find((attribute) => attribute.LogicalName === 'lms_userid')).toMatchObject({
      IsCustomAttribute: true,
      SchemaName: 'lms_UserId',
    });
    expect(contact.Keys).toEqual([
      expect.objectContaining({
        LogicalName: 'lms_userid_key',
        KeyAttributes: ['lms_userid'],
        EntityKeyIndexStatus: 'Active',
      }),
    ]);
  });

  it('serves /Attributes with base-type $select and a derived-type cast, like OData', async () => {
    const base = await get(
      "EntityDefinitions(LogicalName='lead')/Attributes?$select=LogicalName,AttributeType,RequiredLevel,IsValidForCreate,IsValidForUpdate&$filter=RequiredLevel/Value eq Microsoft.Dynamics.CRM.AttributeRequiredLevel'ApplicationRequired'",
    );
    expect((base.value as Json[]).map((attribute) => attribute.LogicalName).sort()).toEqual(['lastname', 'subject']);
    const notOnBase = await api("EntityDefinitions(LogicalName='lead')/Attributes?$select=LogicalName,MaxLength");
    expect(notOnBase.status).toBe(400);
    expect(await notOnBase.json()).toEqual({
      error: {
        code: '0x80060888',
        message: "Could not find a property named 'MaxLength' on type 'Microsoft.Dynamics.CRM.AttributeMetadata'.",
      },
    });
    const strings = await get(
      "EntityDefinitions(LogicalName='lead')/Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=LogicalName,MaxLength",
    );
    const subject = (strings.value as Json[]).find((attribute) => attribute.LogicalName === 'subject');
    expect(subject).toEqual({
      '@odata.type': '#Microsoft.Dynamics.CRM.StringAttributeMetadata',
      LogicalName: 'subject',
      MaxLength: 300,
      MetadataId: expect.any(String),
    });
    const picklists = await get(
      "EntityDefinitions(LogicalName='lead')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet",
    );
    const source = (picklists.value as Json[]).find((attribute) => attribute.LogicalName === 'leadsourcecode');
    expect((source?.OptionSet as { Options: Json[] } | undefined)?.Options[7]).toMatchObject({
      Value: 8,
      Label: { UserLocalizedLabel: { Label: 'Web' } },
    });
    const keys = await get("EntityDefinitions(LogicalName='account')/Keys");
    expect((keys.value as Json[])[0]).toMatchObject({ KeyAttributes: ['accountnumber'] });
    const missing = await api("EntityDefinitions(LogicalName='opportunity')");
    expect(missing.status).toBe(404);
  });

  it('answers $metadata with CSDL describing the tables', async () => {
    const response = await api('$metadata');
    expect(response.headers.get('content-type')).toBe('application/xml');
    const xml = await response.text();
    expect(xml).toContain(
      '<EntityType Name="contact" BaseType="mscrm.crmbaseentity"><Key><PropertyRef Name="contactid" /></Key>',
    );
    expect(xml).toContain('<Property Name="_parentcustomerid_value" Type="Edm.Guid" />');
    expect(xml).toContain('<EntitySet Name="leads" EntityType="Microsoft.Dynamics.CRM.lead" />');
  });
});
