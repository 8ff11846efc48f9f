import { randomBytes } from 'node:crypto';
import type { ConnectedApp, Org, OrgUser } from '../model/org.ts';

/**
 * Access tokens (API sessions), refresh tokens and authorization codes. Access tokens look like real session ids,
 * `<15-character org id>!<secret>`, because clients (and Salesforce Inspector-like extensions) read the org id from
 * the part before the `!`.
 */

export type SessionKind = 'oauth' | 'soap' | 'ui';

export interface Session {
  token: string;
  kind: SessionKind;
  org: Org;
  user: OrgUser;
  app: ConnectedApp | undefined;
  scopes: string[];
  issuedAt: number;
  lastUsedAt: number;
  /** Origin key of the login host that issued it: the host of its identity URL. */
  loginOriginKey: string;
  refreshToken: string | undefined;
  revoked: boolean;
}

export interface RefreshGrant {
  token: string;
  org: Org;
  user: OrgUser;
  app: ConnectedApp;
  scopes: string[];
  issuedAt: number;
  loginOriginKey: string;
  revoked: boolean;
}

export interface AuthorizationCode {
  code: string;
  org: Org;
  user: OrgUser;
  app: ConnectedApp;
  redirectUri: string;
  codeChallenge: string | undefined;
  scopes: string[];
  loginOriginKey: string;
  expiresAt: number;
  used: boolean;
}

/** An authorize request waiting for the user to log in and allow access. */
export interface PendingAuthorization {
  id: string;
  app: ConnectedApp;
  redirectUri: string;
  state: string | undefined;
  codeChallenge: string | undefined;
  scopes: string[];
  prompt: string[];
  loginOriginKey: string;
  expiresAt: number;
}

export const AUTHORIZATION_CODE_TTL_MS = 15 * 60_000;

const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(length: number, alphabet = TOKEN_CHARS): string {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += alphabet.charAt(byte % alphabet.length);
  return text;
}

export type AccessLookup =
  | { ok: true; session: Session }
  | { ok: false; reason: 'unknown' | 'revoked' | 'expired'; session?: Session };

export class SessionStore {
  readonly #access = new Map<string, Session>();
  readonly #refresh = new Map<string, RefreshGrant>();
  readonly #codes = new Map<string, AuthorizationCode>();
  readonly #pending = new Map<string, PendingAuthorization>();
  /** `<userId>:<clientId>` pairs whose user already allowed the app (Salesforce asks only once). */
  readonly #approved = new Set<string>();

  addPending(init: Omit<PendingAuthorization, 'id'>): PendingAuthorization {
    const pending = { ...init, id: randomText(32) };
    this.#pending.set(pending.id, pending);
    return pending;
  }

  pending(id: string, now: number): PendingAuthorization | undefined {
    const pending = this.#pending.get(id);
    if (pending && pending.expiresAt < now) {
      this.#pending.delete(id);
      return undefined;
    }
    return pending;
  }

  finishPending(id: string): void {
    this.#pending.delete(id);
  }

  approve(userId: string, clientId: string): void {
    this.#approved.add(`${userId}:${clientId}`);
  }

  isApproved(userId: string, clientId: string): boolean {
    return this.#approved.has(`${userId}:${clientId}`);
  }

  issueAccess(init: Omit<Session, 'token' | 'lastUsedAt' | 'revoked'>): Session {
    const token = `${init.org.orgId.slice(0, 15)}!AQ${randomText(4)}.${randomText(106, `${TOKEN_CHARS}._`)}`;
    const session: Session = { ...init, token, lastUsedAt: init.issuedAt, revoked: false };
    this.#access.set(token, session);
    return session;
  }

  issueRefresh(init: Omit<RefreshGrant, 'token' | 'revoked'>): RefreshGrant {
    const grant: RefreshGrant = { ...init, token: `5Aep861${randomText(80, `${TOKEN_CHARS}._`)}`, revoked: false };
    this.#refresh.set(grant.token, grant);
    return grant;
  }

  issueCode(init: Omit<AuthorizationCode, 'code' | 'used'>): AuthorizationCode {
    const code: AuthorizationCode = { ...init, code: `aPrx${randomText(70, `${TOKEN_CHARS}._`)}==`, used: false };
    this.#codes.set(code.code, code);
    return code;
  }

  code(code: string): AuthorizationCode | undefined {
    return this.#codes.get(code);
  }

  refreshGrant(token: string): RefreshGrant | undefined {
    return this.#refresh.get(token);
  }

  /** The live session behind `token`: known, not revoked, used within the org's session timeout. */
  lookup(token: string, now: number): AccessLookup {
    const session = this.#access.get(token);
    if (!session) return { ok: false, reason: 'unknown' };
    if (session.revoked) return { ok: false, reason: 'revoked', session };
    if (now - session.lastUsedAt > session.org.sessionTimeoutMs) return { ok: false, reason: 'expired', session };
    return { ok: true, session };
  }

  /** Any activity extends a session, as Salesforce's inactivity timeout does. */
  touch(session: Session, now: number): void {
    session.lastUsedAt = now;
  }

  revokeAccess(token: string): boolean {
    const session = this.#access.get(token);
    if (!session || session.revoked) return false;
    session.revoked = true;
    return true;
  }

  /** Refresh token rotation: the old token stops working, the access tokens it issued live on. */
  retireRefresh(token: string): void {
    const grant = this.#refresh.get(token);
    if (grant) grant.revoked = true;
  }

  /** Revoking a refresh token also revokes every access token issued from it. */
  revokeRefresh(token: string): boolean {
    const grant = this.#refresh.get(token);
    if (!grant || grant.revoked) return false;
    grant.revoked = true;
    for (const session of this.#access.values()) if (session.refreshToken === token) session.revoked = true;
    return true;
  }

  /** Every token of an org, as an admin revoking all sessions (or a password reset) does. */
  revokeOrg(orgName: string): number {
    let count = 0;
    for (const session of this.#access.values()) {
      if (session.org.name === orgName && !session.revoked) {
        session.revoked = true;
        count += 1;
      }
    }
    for (const grant of this.#refresh.values()) {
      if (grant.org.name === orgName && !grant.revoked) {
        grant.revoked = true;
        count += 1;
      }
    }
    return count;
  }

  clear(): void {
    this.#access.clear();
    this.#refresh.clear();
    this.#codes.clear();
    this.#pending.clear();
    this.#approved.clear();
  }
}
