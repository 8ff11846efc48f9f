import { XMLParser } from 'fast-xml-parser';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimContext } from '../http/context.ts';
import { isLoginOrigin, loginAllowed } from '../http/hosts.ts';
import { escapeXml, XML_TYPE } from '../http/reply.ts';
import type { Org, OrgUser } from '../model/org.ts';

/**
 * The partner SOAP API's login() and logout() (POST /services/Soap/u/<version>), which jsforce's conn.login() uses
 * when it has no OAuth client. login() is retired from API 65.0 on (Winter '26), so those versions refuse it.
 */

const LOGIN_RETIRED_FROM = 65;
const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, trimValues: false });

function envelope(body: string, namespaces = ''): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"${namespaces}>` +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

function sendFault(
  reply: FastifyReply,
  code: string,
  message: string,
  faultType = 'UnexpectedErrorFault',
): FastifyReply {
  const detail =
    faultType === 'LoginFault' || faultType === 'UnexpectedErrorFault' || faultType === 'InvalidSObjectFault'
      ? `<detail><sf:${faultType} xsi:type="sf:${faultType}"><sf:exceptionCode>${code}</sf:exceptionCode><sf:exceptionMessage>${escapeXml(message)}</sf:exceptionMessage></sf:${faultType}></detail>`
      : '';
  const body = `<soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${code}: ${escapeXml(message)}</faultstring>${detail}</soapenv:Fault>`;
  return reply.code(500).type(XML_TYPE).send(envelope(body, ' xmlns:sf="urn:fault.partner.soap.sforce.com"'));
}

function field(value: unknown): string {
  if (value && typeof value === 'object' && '#text' in value) return String((value as { '#text': unknown })['#text']);
  return value === undefined || value === null ? '' : String(value);
}

function userInfoXml(org: Org, user: OrgUser, sessionSeconds: number): string {
  const items: [string, string | null][] = [
    ['accessibilityMode', 'false'],
    ['chatterExternal', 'false'],
    ['currencySymbol', '$'],
    ['orgAttachmentFileSizeLimit', '5242880'],
    ['orgDefaultCurrencyIsoCode', 'USD'],
    ['orgDefaultCurrencyLocale', 'en_US'],
    ['orgDisallowHtmlAttachments', 'false'],
    ['orgHasPersonAccounts', 'false'],
    ['organizationId', org.orgId],
    ['organizationMultiCurrency', 'false'],
    ['organizationName', org.organizationName],
    ['profileId', user.profileId],
    ['roleId', null],
    ['sessionSecondsValid', String(sessionSeconds)],
    ['userDefaultCurrencyIsoCode', null],
    ['userEmail', user.email],
    ['userFullName', user.name],
    ['userId', user.id],
    ['userLanguage', user.language],
    ['userLocale', user.locale],
    ['userName', user.username],
    ['userTimeZone', user.timeZone],
    ['userType', 'Standard'],
    ['userUiSkin', 'Theme3'],
  ];
  return items
    .map(([name, value]) => (value === null ? `<${name} xsi:nil="true"/>` : `<${name}>${escapeXml(value)}</${name}>`))
    .join('');
}

export function registerSoapRoutes(app: FastifyInstance, context: SimContext): void {
  const { state, origins } = context;

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const originKey = origins.resolve(request) ?? '';
    const { version } = request.params as { version: string };
    let parsed: Record<string, unknown>;
    try {
      parsed = parser.parse(typeof request.body === 'string' ? request.body : '') as Record<string, unknown>;
    } catch {
      return sendFault(reply, 'INVALID_REQUEST', 'Unable to parse the SOAP request');
    }
    const envelopeNode = (parsed.Envelope ?? {}) as Record<string, unknown>;
    const body = (envelopeNode.Body ?? {}) as Record<string, unknown>;
    if (!/^\d+\.0$/.test(version))
      return sendFault(reply, 'UNSUPPORTED_API_VERSION', `Invalid Api version specified on URL`);

    if ('login' in body) {
      const login = (body.login ?? {}) as Record<string, unknown>;
      const username = field(login.username);
      const found = state.findUser(username);
      state.counters.count('soap-login', found?.org.name);
      if (!isLoginOrigin(originKey)) return sendFault(reply, 'INVALID_LOGIN', 'Invalid login host', 'LoginFault');
      if (Number(version) >= LOGIN_RETIRED_FROM) {
        return sendFault(
          reply,
          'UNSUPPORTED_API_VERSION',
          `login() is not available in API version ${version} and later. Use OAuth 2.0 instead.`,
        );
      }
      const user = found?.user;
      const password = field(login.password);
      if (
        !found ||
        !user?.active ||
        !loginAllowed(originKey, found.org) ||
        password !== `${user.password}${user.securityToken}`
      ) {
        return sendFault(
          reply,
          'INVALID_LOGIN',
          'Invalid username, password, security token; or user locked out.',
          'LoginFault',
        );
      }
      const org = found.org;
      const now = state.clock.now();
      const session = state.sessions.issueAccess({
        kind: 'soap',
        org,
        user,
        app: undefined,
        scopes: ['full'],
        issuedAt: now,
        loginOriginKey: originKey,
        refreshToken: undefined,
      });
      const instance = origins.urlFor(request, org.originKey);
      const result =
        `<loginResponse><result>` +
        `<metadataServerUrl>${instance}/services/Soap/m/${version}/${org.orgId}</metadataServerUrl>` +
        `<passwordExpired>false</passwordExpired>` +
        `<sandbox>${org.sandbox}</sandbox>` +
        `<serverUrl>${instance}/services/Soap/u/${version}/${org.orgId}</serverUrl>` +
        `<sessionId>${session.token}</sessionId>` +
        `<userId>${user.id}</userId>` +
        `<userInfo>${userInfoXml(org, user, org.sessionTimeoutMs / 1000)}</userInfo>` +
        `</result></loginResponse>`;
      return reply.code(200).type(XML_TYPE).send(envelope(result));
    }

    state.counters.count('soap', state.orgByOriginKey(originKey)?.name);
    const header = (envelopeNode.Header ?? {}) as Record<string, unknown>;
    const sessionHeader = (header.SessionHeader ?? {}) as Record<string, unknown>;
    const lookup = state.sessions.lookup(field(sessionHeader.sessionId), state.clock.now());
    const org = state.orgByOriginKey(originKey);
    if (!lookup.ok || !org || lookup.session.org !== org) {
      return sendFault(reply, 'INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session');
    }
    if ('logout' in body) {
      state.sessions.revokeAccess(lookup.session.token);
      return reply.code(200).type(XML_TYPE).send(envelope('<logoutResponse/>'));
    }
    if ('getUserInfo' in body) {
      const info = userInfoXml(org, lookup.session.user, org.sessionTimeoutMs / 1000);
      return reply
        .code(200)
        .type(XML_TYPE)
        .send(envelope(`<getUserInfoResponse><result>${info}</result></getUserInfoResponse>`));
    }
    return sendFault(reply, 'INVALID_OPERATION', 'This simulator serves login, logout and getUserInfo only');
  };

  app.post('/services/Soap/u/:version', handler);
  app.post('/services/Soap/u/:version/:orgId', handler);
}
