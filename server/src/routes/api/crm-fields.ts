import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { CrmFieldList, ErrorBody } from '@orglink/shared';
import { requireTeamConnection } from '../../domain/integrations/connection-access.ts';
import { describeCrmObject, openConnectionClient } from '../../domain/integrations/crm-fields.ts';
import { callerOf } from '../../plugins/auth.ts';

const FieldsParams = Type.Object({
  connectionId: Type.String({ minLength: 1, maxLength: 64 }),
  name: Type.String({ minLength: 1, maxLength: 80, description: 'Salesforce API name or Dynamics logical name.' }),
});

/** Describe, for the mapping editor and activities: every field of a CRM object with what can be written. */
export const crmFieldRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/crm/:connectionId/objects/:name/fields',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['crm'],
        summary: 'The fields of a CRM object (Salesforce describe; Dynamics EntityDefinitions, lowercase names).',
        params: FieldsParams,
        response: { 200: CrmFieldList, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      const connection = requireTeamConnection(app.db, callerOf(request).teamId, request.params.connectionId);
      return describeCrmObject(await openConnectionClient(app, connection.id), request.params.name);
    },
  );
};
