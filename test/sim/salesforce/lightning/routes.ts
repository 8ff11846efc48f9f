import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cookieSession, type SimContext } from '../http/context.ts';
import { setSessionCookie } from '../http/cookies.ts';
import { lightningUrl, myDomainUrl, requestHostname, viaHostname } from '../http/hosts.ts';
import { sendHtml } from '../http/reply.ts';
import { canonicalId } from '../model/ids.ts';
import type { Org } from '../model/org.ts';
import { schema } from '../schema/registry.ts';
import { homeContent, lightningShell, listContent, recordContent, recordMissingContent } from './pages.ts';

/**
 * Lightning pages on an org's Lightning host: /lightning/page/home, /lightning/o/<Object>/list and
 * /lightning/r/<Object>/<Id>/view. Without a session they send the browser to the My Domain login with the page as
 * startURL; with one they (re)set the `sid` cookie, as Lightning keeps its own copy of the session.
 */

export function registerLightningRoutes(app: FastifyInstance, context: SimContext): void {
  const { state, origins } = context;

  /** The org and session for a Lightning request, or the reply that redirects to where it should go. */
  function enter(request: FastifyRequest, reply: FastifyReply) {
    const originKey = origins.resolve(request);
    const org: Org | undefined = state.orgByOriginKey(originKey);
    state.counters.count('lightning', org?.name);
    if (!org) return { reply: reply.code(404).type('text/plain').send('Not found') };
    const path = request.url;
    if (requestHostname(request) === org.myDomainHost) {
      // my.salesforce.com/lightning/... lives on the Lightning host.
      return { reply: reply.redirect(`${lightningUrl(request, origins, org)}${path}`, 302) };
    }
    const session = cookieSession(context, request, (candidate) => candidate.org === org);
    if (!session) {
      const login = `${myDomainUrl(request, origins, org)}/?ec=302&startURL=${encodeURIComponent(path)}`;
      return { reply: reply.redirect(login, 302) };
    }
    setSessionCookie(reply, viaHostname(request, origins, org.originKey), 'sid', session.token);
    return { org, session };
  }

  app.get('/lightning/page/home', async (request, reply) => {
    const entered = enter(request, reply);
    if ('reply' in entered) return entered.reply;
    const { org, session } = entered;
    const recent = ['Account', 'Contact', 'Lead'].flatMap((name) => {
      const store = org.store(name);
      return [...store.live()].slice(-5).map((row) => ({ object: store.object, row }));
    });
    const html = lightningShell({
      org,
      user: session.user,
      title: 'Home',
      content: homeContent(org, session.user, recent),
    });
    return sendHtml(reply, 200, html);
  });

  const list = async (request: FastifyRequest, reply: FastifyReply) => {
    const entered = enter(request, reply);
    if ('reply' in entered) return entered.reply;
    const { org, session } = entered;
    const object = schema.object((request.params as { object: string }).object);
    if (!object) {
      const html = lightningShell({ org, user: session.user, title: 'Error', content: recordMissingContent() });
      return sendHtml(reply, 200, html);
    }
    const store = org.store(object.name);
    const rows = [...store.live()].slice(0, 50);
    const content = listContent(object, rows, store.liveCount);
    const html = lightningShell({
      org,
      user: session.user,
      title: object.labelPlural,
      activeTab: object.name,
      content,
    });
    return sendHtml(reply, 200, html);
  };
  app.get('/lightning/o/:object/list', list);
  app.get('/lightning/o/:object/home', list);

  app.get('/lightning/r/:object/:id/view', async (request, reply) => {
    const entered = enter(request, reply);
    if ('reply' in entered) return entered.reply;
    const { org, session } = entered;
    const params = request.params as { object: string; id: string };
    const object = schema.object(params.object);
    const id = canonicalId(params.id);
    const record = object && id ? org.store(object.name).get(id) : undefined;
    if (!object || !record || record.IsDeleted === true) {
      const html = lightningShell({ org, user: session.user, title: 'Error', content: recordMissingContent() });
      return sendHtml(reply, 200, html);
    }
    const title = `${String(record.Name ?? record.Id)} | ${object.label}`;
    const html = lightningShell({
      org,
      user: session.user,
      title,
      activeTab: object.name,
      content: recordContent(object, record),
    });
    return sendHtml(reply, 200, html);
  });
}
