import rateLimit from '@fastify/rate-limit';
import { CommonErrorCode } from '@orglink/shared';
import type { FastifyRequest, onRequestHookHandler, onResponseHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../http-errors.ts';

/**
 * Sign-in routes check a secret without a token in front of them (an invite code, an OAuth flow id, state or form
 * token), so they are what someone guessing secrets would hammer. Each such route names its limit in
 * `config.signInLimit`; the routes of one limit share a counter per client address, so spreading guesses over the
 * OAuth pages gains nothing. Only refused attempts (a 4xx answer) count: a guess is refused, while an admin's
 * sign-ins succeed, so a busy admin, or a test suite signing in all day from loopback, is never held back.
 * Authenticated routes are never limited: the extension polls them.
 */
export type SignInLimit = 'redeem' | 'oauth';

declare module 'fastify' {
  interface FastifyContextConfig {
    signInLimit?: SignInLimit;
  }
}

const WINDOW_MS = 60_000;

/** A 429 that says when to try again; the OAuth routes turn it into a page (see routes/oauth/oauth-routes.ts). */
export class SignInRateLimited extends ApiError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super(
      429,
      CommonErrorCode.RateLimited,
      `Too many sign-in attempts from your address. Wait ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'} and try again.`,
      { retryAfterSeconds },
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export const signInRateLimitPlugin = fp(
  async (app) => {
    // global: false, so the plugin limits nothing by itself; only the limiters made below count requests.
    await app.register(rateLimit, { global: false });
    const perMinute: Record<SignInLimit, number> = {
      redeem: app.config.signInRateLimit,
      oauth: app.config.oauthRateLimit,
    };
    const limiters = new Map(
      (Object.keys(perMinute) as SignInLimit[])
        .filter((limit) => perMinute[limit] > 0)
        .map((limit) => [limit, app.createRateLimit({ max: perMinute[limit], timeWindow: WINDOW_MS })] as const),
    );

    type Limiter = ReturnType<typeof app.createRateLimit>;
    // Attempts still being answered, per limit and address: a refusal counts only once answered, so without these a
    // burst of parallel guesses would all pass the check before the first of them was counted.
    const inFlight = new Map<string, number>();
    const inFlightKeyOf = new WeakMap<FastifyRequest, string>();
    const settle = (request: FastifyRequest) => {
      const key = inFlightKeyOf.get(request);
      if (key === undefined) return;
      inFlightKeyOf.delete(request);
      const pending = (inFlight.get(key) ?? 1) - 1;
      if (pending > 0) inFlight.set(key, pending);
      else inFlight.delete(key);
    };
    app.addHook('onRequestAbort', async (request) => settle(request));

    /** Before the route reads the secret: refuse while this address has used up its refused attempts. */
    const checkFor = (limit: SignInLimit, limiter: Limiter): onRequestHookHandler =>
      async function refuseWhenExhausted(request, reply) {
        const outcome = await limiter(request, { increment: false });
        const key = `${limit}:${request.ip}`;
        const pending = inFlight.get(key) ?? 0;
        if (outcome.isAllowed || outcome.remaining - pending > 0) {
          inFlight.set(key, pending + 1);
          inFlightKeyOf.set(request, key);
          return;
        }
        const seconds = Math.max(1, outcome.ttlInSeconds);
        reply.header('retry-after', String(seconds));
        throw new SignInRateLimited(seconds);
      };
    /**
     * After the answer: a refusal (400 unknown, 403 wrong browser, 404, 409 used, 410 expired...) is one attempt. Only
     * requests that passed the check count: one refused earlier for its Origin never reached the secret, and a page
     * the admin visits could otherwise send such requests to use up the admin's own attempts.
     */
    const countFor = (limiter: Limiter): onResponseHookHandler =>
      async function countRefusals(request, reply) {
        const checked = inFlightKeyOf.has(request);
        settle(request);
        const refused = reply.statusCode >= 400 && reply.statusCode < 500 && reply.statusCode !== 429;
        if (checked && refused) await limiter(request);
      };

    app.addHook('onRoute', (route) => {
      const limit = route.config?.signInLimit;
      if (limit === undefined) return;
      const limiter = limiters.get(limit);
      if (!limiter) return; // that limit is turned off (0 per minute)
      // First of the route's own hooks: after the app-wide origin check, before anything reads the secret.
      route.onRequest = [checkFor(limit, limiter), ...[route.onRequest ?? []].flat()];
      route.onResponse = [...[route.onResponse ?? []].flat(), countFor(limiter)];
    });
  },
  { name: 'sign-in-rate-limit', dependencies: ['config'] },
);
