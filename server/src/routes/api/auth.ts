import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import {
  CreateInviteRequest,
  ErrorBody,
  InviteCreated,
  Me,
  RedeemInviteRequest,
  RedeemInviteResponse,
} from '@orglink/shared';
import { createInvite, describeCaller, redeemInvite, revokeToken } from '../../domain/teams/team-service.ts';
import { callerOf } from '../../plugins/auth.ts';

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/auth/redeem',
    {
      // Invite codes are the secret here: guesses are limited per client address.
      config: { access: 'public', signInLimit: 'redeem' },
      schema: {
        tags: ['auth'],
        summary: 'Join a team with an invite code; returns your API token once.',
        body: RedeemInviteRequest,
        response: { 200: RedeemInviteResponse, 400: ErrorBody, 404: ErrorBody, 410: ErrorBody, 429: ErrorBody },
      },
    },
    async (request) => redeemInvite(app.db, request.body),
  );

  app.get(
    '/me',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['auth'],
        summary: 'Who you are, your team and your role.',
        response: { 200: Me, 401: ErrorBody },
      },
    },
    async (request) => describeCaller(callerOf(request)),
  );

  app.post(
    '/auth/signout',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['auth'],
        summary: 'Revoke the API token of this request.',
        response: { 204: Type.Null(), 401: ErrorBody },
      },
    },
    async (request, reply) => {
      revokeToken(app.db, callerOf(request).tokenId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/invites',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['auth'],
        summary: 'Invite someone to your team (admin or viewer); the code works once, for two days.',
        body: CreateInviteRequest,
        response: { 201: InviteCreated, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const invite = createInvite(app.db, {
        teamId: caller.teamId,
        role: request.body.role ?? 'viewer',
        createdBy: caller.userId,
      });
      return reply.status(201).send(invite);
    },
  );
};
