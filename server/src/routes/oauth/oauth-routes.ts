import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DYNAMICS_CLOUD_LABELS, type DynamicsCloud } from '@orglink/shared';
import type { FastifyReply } from 'fastify';
import { DynamicsSignInError } from '../../crm/dynamics/dynamics-oauth.ts';
import { finishSalesforceSignIn, SalesforceSignInError } from '../../crm/salesforce/salesforce-oauth.ts';
import type { AuthorizationFlow, FlowLookup, PendingGrant } from '../../domain/connections/authorization-flows.ts';
import {
  acceptGrant,
  assessGrant,
  callbackUrl,
  crmAuthorizeUrl,
  revokeGrant,
} from '../../domain/connections/authorization-service.ts';
import { connectionRowById } from '../../domain/connections/connection-repository.ts';
import { discardNeverConnected } from '../../domain/connections/connection-service.ts';
import { mayStillAdminister } from '../../domain/teams/team-service.ts';
import { ApiError } from '../../http-errors.ts';
import { SignInRateLimited } from '../../plugins/sign-in-rate-limit.ts';
import { bindOrCheckBrowser, isBoundBrowser } from './browser-binding.ts';
import { consentPage, environmentPage, messagePage, problemPage, sendPage } from './pages.ts';

const START_AGAIN = 'Start again in OrgLink: open the connection on the Connections page and choose Re-authorize.';

const CallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 4096 })),
  state: Type.Optional(Type.String({ maxLength: 512 })),
  error: Type.Optional(Type.String({ maxLength: 256 })),
  error_description: Type.Optional(Type.String({ maxLength: 2048 })),
  error_subcode: Type.Optional(Type.String({ maxLength: 256 })),
});

const FormBody = Type.Record(Type.String(), Type.String({ maxLength: 1024 }));

/**
 * What the browser sees from the CRM's redirect to the end of the sign-in (DESIGN.md section 5): the callbacks, the
 * Dynamics environment choice and the Data Processing Agreement. Every route is public (the browser carries no
 * OrgLink token); the flow's random state and one-time form tokens are what tie a request to the admin who started
 * it. Every outcome is an HTML page; nothing is stored before the DPA is accepted.
 */
export const oauthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // HTML forms post urlencoded bodies; only these routes accept them.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 16_384 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  // The browser lands on these routes, so too many attempts get a page (Retry-After is already set), not JSON.
  app.setErrorHandler((error, _request, reply) => {
    if (!(error instanceof SignInRateLimited)) throw error;
    return sendPage(
      reply,
      429,
      problemPage(
        'Too many sign-in attempts',
        'This computer made too many requests to the OrgLink sign-in pages in the last minute, so this one was refused. Nothing was stored.',
        `Wait ${error.retryAfterSeconds} second${error.retryAfterSeconds === 1 ? '' : 's'}, then start the sign-in again from the Connections page in OrgLink.`,
      ),
    );
  });

  /** A sign-in that ends without a connection: the flow is over, and a never-connected connection is removed. */
  function abandon(flow: AuthorizationFlow): boolean {
    app.authorizationFlows.finish(flow);
    return discardNeverConnected(app, flow.connectionId);
  }

  /** The link was opened in another browser than the one that started the sign-in: refuse, change nothing. */
  function wrongBrowser(reply: FastifyReply) {
    return sendPage(
      reply,
      403,
      problemPage(
        'This sign-in belongs to another browser window',
        'A sign-in can only be finished in the window that opened its link, and this is not that window. Nothing was stored.',
        'Start the sign-in again from the Connections page in OrgLink (New Connection or Re-authorize).',
      ),
    );
  }

  /**
   * A sign-in is bound to the OrgLink sign-in of the admin who started it, not only to a browser: once that admin
   * signs out, is removed or loses the admin role, no step of it may go on (not even the DPA, recorded in their name).
   */
  function starterGone(reply: FastifyReply, flow: AuthorizationFlow) {
    // Synchronous when the starter may go on: the consent step must end its flow before any await.
    if (mayStillAdminister(app.db, flow.tokenId, flow.teamId)) return undefined;
    const grant = flow.grant;
    app.authorizationFlows.finish(flow);
    return (async () => {
      // Tokens the CRM already granted are given back, as when the DPA is declined, before the connection goes.
      if (grant) await revokeGrant(app, flow, grant);
      discardNeverConnected(app, flow.connectionId);
      return sendPage(
        reply,
        403,
        problemPage(
          'This sign-in is no longer yours to finish',
          'The OrgLink admin who started this sign-in has signed out, was removed from the team or is no longer an admin. Nothing was stored.',
          'An admin of the team can start the sign-in again from the Connections page in OrgLink.',
        ),
      );
    })();
  }

  function lookupProblem(reply: FastifyReply, lookup: Exclude<FlowLookup, { status: 'ok' }>) {
    if (lookup.status === 'expired') {
      abandon(lookup.flow);
      return sendPage(
        reply,
        410,
        problemPage(
          'This sign-in expired',
          'Each step of the sign-in must be completed within 10 minutes, and this one took longer. Nothing was stored.',
          START_AGAIN,
        ),
      );
    }
    if (lookup.status === 'used') {
      return sendPage(
        reply,
        409,
        problemPage(
          'This sign-in was already used',
          'This step was already completed (a reload, the Back button, or a link opened twice). Nothing more was stored.',
          'Check the connection on the Connections page in OrgLink. To sign in again, choose Re-authorize there.',
        ),
      );
    }
    return sendPage(
      reply,
      400,
      problemPage(
        'This sign-in link is not valid',
        'OrgLink does not know this sign-in: the link is incomplete, belongs to another OrgLink server, or the server restarted since it was made. Nothing was stored.',
        START_AGAIN,
      ),
    );
  }

  /** Failures after the flow was found: the flow ends, and the page says what the CRM or OrgLink answered. */
  function failure(reply: FastifyReply, flow: AuthorizationFlow, error: unknown) {
    abandon(flow);
    if (error instanceof SalesforceSignInError || error instanceof DynamicsSignInError) {
      // The CRM refused (a stale or reused code, a bad grant): a 4xx the admin can act on, not a server fault.
      return sendPage(
        reply,
        422,
        problemPage('The sign-in did not complete', `${error.message} Nothing was stored.`, START_AGAIN),
      );
    }
    if (error instanceof ApiError) {
      return sendPage(
        reply,
        error.statusCode,
        problemPage('The sign-in did not complete', `${error.message} Nothing was stored.`, START_AGAIN),
      );
    }
    throw error;
  }

  function crmName(flow: AuthorizationFlow) {
    return flow.kind === 'salesforce' ? 'Salesforce' : 'Dynamics 365';
  }

  /** The grant is checked before the DPA is shown: an org that cannot be connected is refused right away. */
  async function showConsent(reply: FastifyReply, flow: AuthorizationFlow, grant: PendingGrant) {
    const assessment = assessGrant(app, flow, grant);
    if (assessment.outcome === 'refused') {
      // Revoke while the connection row still says where the tokens came from; then drop the flow (and the row).
      await revokeGrant(app, flow, grant);
      abandon(flow);
      return sendPage(
        reply,
        assessment.status,
        problemPage(
          assessment.title,
          assessment.message,
          'Close this window, or start again in OrgLink with another org.',
        ),
      );
    }
    const notices: string[] = [];
    if (assessment.plan === 'takeover' && assessment.replaced) {
      notices.push(
        `Your team's connection "${assessment.replaced.name}" is for this org too. If you accept, this connection takes over its settings and jobs, and "${assessment.replaced.name}" is deleted (its history stays).`,
      );
    }
    if (assessment.plan === 'sandbox-refreshed') {
      notices.push(
        `This sandbox's Org ID changed from ${assessment.connection.externalOrgId} to ${grant.orgId}: it was refreshed. If you accept, the connection stays inactive until an admin confirms the change in OrgLink.`,
      );
    }
    flow.grant = grant;
    const formToken = app.authorizationFlows.advance(flow, 'consent');
    return sendPage(
      reply,
      200,
      consentPage({
        flowId: flow.id,
        formToken,
        connectionName: assessment.connection.name,
        crm: crmName(flow),
        orgName: grant.orgName,
        orgId: grant.orgId,
        username: grant.username,
        notices,
      }),
    );
  }

  /** The CRM sent the browser back with an error (the admin chose Deny or Cancel, or the request was refused). */
  function crmError(reply: FastifyReply, flow: AuthorizationFlow, error: string, description: string | undefined) {
    const removed = abandon(flow);
    if (error === 'access_denied') {
      return sendPage(
        reply,
        403,
        problemPage(
          'Access was not allowed',
          `You did not allow OrgLink to access ${crmName(flow)}, so nothing was stored and ${removed ? 'the new connection was not created' : 'the connection is unchanged'}.`,
          'To connect, start again in OrgLink and choose Allow (Salesforce) or sign in and accept (Microsoft).',
        ),
      );
    }
    return sendPage(
      reply,
      400,
      problemPage(
        'The sign-in did not complete',
        `${crmName(flow)} answered "${error}"${description ? `: ${description}` : ''}. Nothing was stored.`,
        START_AGAIN,
      ),
    );
  }

  app.get(
    '/start/:flowId',
    {
      config: { access: 'public', signInLimit: 'oauth' },
      schema: {
        tags: ['connections'],
        summary: 'Where loginUrl points: sends the browser on to the CRM sign-in.',
        params: Type.Object({ flowId: Type.String({ maxLength: 128 }) }),
      },
    },
    async (request, reply) => {
      const lookup = app.authorizationFlows.forStart(request.params.flowId);
      if (lookup.status !== 'ok') return lookupProblem(reply, lookup);
      const gone = starterGone(reply, lookup.flow);
      if (gone) return gone;
      if (!bindOrCheckBrowser(request, reply, lookup.flow, app.config.publicUrl.startsWith('https:'))) {
        return wrongBrowser(reply);
      }
      try {
        return reply.header('cache-control', 'no-store').redirect(await crmAuthorizeUrl(app, lookup.flow), 302);
      } catch (error) {
        return failure(reply, lookup.flow, error);
      }
    },
  );

  for (const kind of ['salesforce', 'dynamics'] as const) {
    app.get(
      `/${kind}/callback`,
      {
        config: { access: 'public', signInLimit: 'oauth' },
        schema: {
          tags: ['connections'],
          summary: `The ${kind === 'salesforce' ? 'Salesforce' : 'Microsoft'} sign-in returns here; shows the next step as a page.`,
          querystring: CallbackQuery,
        },
      },
      async (request, reply) => {
        const { code, state, error, error_description: description } = request.query;
        const lookup = state ? app.authorizationFlows.forCallback(state, kind) : ({ status: 'unknown' } as const);
        if (lookup.status !== 'ok') return lookupProblem(reply, lookup);
        const flow = lookup.flow;
        if (!isBoundBrowser(request, flow)) return wrongBrowser(reply);
        const gone = starterGone(reply, flow);
        if (gone) return gone;
        if (error) return crmError(reply, flow, error, description);
        if (!code) return crmError(reply, flow, 'invalid_request', 'the redirect carried no authorization code');
        app.authorizationFlows.claim(flow, 'signing-in');
        try {
          if (flow.salesforce?.codeVerifier) {
            const credentials = await finishSalesforceSignIn(
              flow.salesforce.endpoint,
              callbackUrl(app.config, 'salesforce'),
              code,
              flow.salesforce.codeVerifier,
            );
            return await showConsent(reply, flow, {
              orgId: credentials.orgId,
              orgName: credentials.orgName,
              instanceUrl: credentials.instanceUrl,
              username: credentials.username,
              credentials,
            });
          }
          if (flow.dynamics) {
            const { username } = await flow.dynamics.signIn.redeem(code);
            const environments = await flow.dynamics.signIn.listEnvironments();
            const cloud = flow.dynamics.signIn.endpoint.cloud as DynamicsCloud;
            if (!environments.some((environment) => environment.enabled)) {
              abandon(flow);
              return sendPage(
                reply,
                404,
                problemPage(
                  'No Dynamics 365 environment found',
                  `${username} cannot reach any enabled environment in the ${DYNAMICS_CLOUD_LABELS[cloud]} cloud. Nothing was stored.`,
                  'Sign in with a user who has a security role in the environment, or check the connection’s environment type, then start again.',
                ),
              );
            }
            flow.dynamics.environments = environments;
            const formToken = app.authorizationFlows.advance(flow, 'choosing-environment');
            return sendPage(
              reply,
              200,
              environmentPage({
                flowId: flow.id,
                formToken,
                username,
                cloudLabel: DYNAMICS_CLOUD_LABELS[cloud],
                environments,
              }),
            );
          }
          return lookupProblem(reply, { status: 'used', flow });
        } catch (caught) {
          return failure(reply, flow, caught);
        }
      },
    );
  }

  app.post(
    '/dynamics/environment',
    {
      config: { access: 'public', signInLimit: 'oauth' },
      schema: { tags: ['connections'], summary: 'The admin picked a Dynamics 365 environment.', body: FormBody },
    },
    async (request, reply) => {
      const { flow: flowId = '', token = '', environment: chosenId = '' } = request.body;
      const lookup = app.authorizationFlows.forForm(flowId, token, 'choosing-environment');
      if (lookup.status !== 'ok') return lookupProblem(reply, lookup);
      if (!isBoundBrowser(request, lookup.flow)) return wrongBrowser(reply);
      const flow = lookup.flow;
      const gone = starterGone(reply, flow);
      if (gone) return gone;
      const signIn = flow.dynamics?.signIn;
      const environments = flow.dynamics?.environments ?? [];
      const chosen = environments.find((environment) => environment.id === chosenId && environment.enabled);
      if (!signIn || !chosen) {
        const formToken = app.authorizationFlows.advance(flow, 'choosing-environment');
        return sendPage(
          reply,
          400,
          environmentPage({
            flowId: flow.id,
            formToken,
            username: signIn?.username ?? '',
            cloudLabel: DYNAMICS_CLOUD_LABELS[(signIn?.endpoint.cloud ?? 'public') as DynamicsCloud],
            environments,
            error: 'Choose one of the listed environments.',
          }),
        );
      }
      app.authorizationFlows.claim(flow, 'signing-in');
      try {
        const credentials = await signIn.connect(chosen);
        return await showConsent(reply, flow, {
          orgId: credentials.orgId,
          orgName: credentials.orgName,
          instanceUrl: credentials.environmentUrl,
          username: credentials.username,
          credentials,
        });
      } catch (caught) {
        return failure(reply, flow, caught);
      }
    },
  );

  app.post(
    '/consent',
    {
      config: { access: 'public', signInLimit: 'oauth' },
      schema: { tags: ['connections'], summary: 'Accept or decline the Data Processing Agreement.', body: FormBody },
    },
    async (request, reply) => {
      const { flow: flowId = '', token = '', decision = '' } = request.body;
      const lookup = app.authorizationFlows.forForm(flowId, token, 'consent');
      if (lookup.status !== 'ok') return lookupProblem(reply, lookup);
      if (!isBoundBrowser(request, lookup.flow)) return wrongBrowser(reply);
      const flow = lookup.flow;
      const gone = starterGone(reply, flow);
      if (gone) return gone;
      const grant = flow.grant;
      if (!grant || (decision !== 'accept' && decision !== 'decline')) {
        return lookupProblem(reply, { status: 'unknown' });
      }
      // Ended before any await: a second post of the same form finds the flow used.
      app.authorizationFlows.finish(flow);
      if (decision === 'decline') {
        await revokeGrant(app, flow, grant);
        const connection = connectionRowById(app.db, flow.connectionId);
        if (connection && discardNeverConnected(app, flow.connectionId)) {
          return sendPage(
            reply,
            200,
            messagePage('Nothing was stored', 'problem', [
              'You declined the Data Processing Agreement, so OrgLink stored no tokens and no org details.',
              `The new connection "${connection.name}" was not created. Start again with + New Connection when you are ready. You can close this window.`,
            ]),
          );
        }
        return sendPage(
          reply,
          200,
          messagePage('Nothing was stored', 'problem', [
            'You declined the Data Processing Agreement, so OrgLink stored no tokens and no org details.',
            'The connection is unchanged. You can close this window.',
          ]),
        );
      }
      const outcome = await acceptGrant(app, flow, grant);
      app.connectionClients.forget(flow.connectionId);
      if (outcome.outcome === 'refused') {
        return sendPage(reply, outcome.status, problemPage(outcome.title, outcome.message, 'Close this window.'));
      }
      if (outcome.outcome === 'sandbox-refreshed') {
        return sendPage(
          reply,
          200,
          messagePage('Sandbox refreshed: Org ID changed', 'problem', [
            `The sandbox of "${outcome.connectionName}" now has the Org ID ${outcome.newOrgId} (it was ${outcome.previousOrgId}): it was refreshed.`,
            'The connection stays inactive, and its jobs stay Holding, until an admin confirms the change on the Connections page in OrgLink (Confirm org change). You can close this window.',
          ]),
        );
      }
      return sendPage(
        reply,
        200,
        messagePage(`Connected to ${outcome.org}`, 'success', [
          `Connected to ${outcome.org}. You can close this window.`,
          ...(outcome.replacedName
            ? [
                `This connection took over the settings and jobs of "${outcome.replacedName}", which was deleted (its history stays).`,
              ]
            : []),
        ]),
      );
    },
  );
};
