import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';

export type Claims = Record<string, unknown>;

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/**
 * The signing key of one simulated Entra: access tokens are RS256-signed like the real ones, so Dataverse and
 * discovery can tell their own tokens from forged ones, and a client may verify them against the published JWKS.
 */
export class SigningKey {
  readonly #privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly kid: string;

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.#privateKey = pair.privateKey;
    this.publicKey = createPublicKey(pair.privateKey);
    const der = this.publicKey.export({ type: 'spki', format: 'der' });
    this.kid = createHash('sha1').update(der).digest('base64url').slice(0, 27);
  }

  sign(claims: Claims): string {
    const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5t: this.kid, kid: this.kid }));
    const payload = base64url(JSON.stringify(claims));
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), this.#privateKey);
    return `${header}.${payload}.${signature.toString('base64url')}`;
  }

  /** The claims of a token this key signed, or undefined for anything else (wrong key, tampered, not a JWT). */
  verify(token: string): Claims | undefined {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return undefined;
    try {
      const ok = verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        this.publicKey,
        Buffer.from(signature, 'base64url'),
      );
      return ok ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims) : undefined;
    } catch {
      return undefined;
    }
  }

  jwk() {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return { kty: 'RSA', use: 'sig', kid: this.kid, x5t: this.kid, n: jwk.n, e: jwk.e };
  }
}

/** An unsigned (`alg: none`) JWT: what the simulator issues as id_token (msal decodes without verifying). */
export function unsignedJwt(claims: Claims): string {
  return `${base64url(JSON.stringify({ typ: 'JWT', alg: 'none' }))}.${base64url(JSON.stringify(claims))}.`;
}

export function decodeJwtPayload(token: string): Claims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  } catch {
    return undefined;
  }
}

export function encodeClientInfo(uid: string, utid: string): string {
  return base64url(JSON.stringify({ uid, utid }));
}
