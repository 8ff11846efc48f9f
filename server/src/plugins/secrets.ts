import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import { StartupError } from '../http-errors.ts';

const FORMAT = 'v1';

/**
 * Encryption at rest for CRM tokens and other secrets: AES-256-GCM with a fresh 96-bit IV per value, and the owning
 * row's id as additional authenticated data, so a ciphertext copied onto another row fails to decrypt.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key');
    this.#key = key;
  }

  seal(plaintext: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(
      ':',
    );
  }

  open(sealed: string, boundTo: string): string {
    const [format, iv, tag, ciphertext] = sealed.split(':');
    if (format !== FORMAT || !iv || !tag || ciphertext === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  }

  sealJson(value: unknown, boundTo: string): string {
    return this.seal(JSON.stringify(value), boundTo);
  }

  openJson<T>(sealed: string, boundTo: string): T {
    return JSON.parse(this.open(sealed, boundTo)) as T;
  }
}

/**
 * The key: ENCRYPTION_KEY when set; otherwise a key file made at first start, readable by its owner only (0600).
 * A key file that others can read is refused rather than used, since it unlocks every stored CRM token.
 */
export function loadEncryptionKey(fromEnvironment: Buffer | undefined, keyFile: string): Buffer {
  if (fromEnvironment) return fromEnvironment;
  if (keyFile === ':memory:') return randomBytes(32);
  if (!existsSync(keyFile)) {
    mkdirSync(path.dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(keyFile, 0o600);
  }
  const mode = statSync(keyFile).mode & 0o777;
  if (mode & 0o077) {
    throw new StartupError(
      `the key file ${keyFile} can be read by other users (mode ${mode.toString(8)}). Run \`chmod 600 ${keyFile}\` and start again.`,
    );
  }
  const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
  if (key.length !== 32) {
    throw new StartupError(`the key file ${keyFile} does not hold a 32-byte base64 key. Restore it from a backup.`);
  }
  return key;
}

declare module 'fastify' {
  interface FastifyInstance {
    secrets: SecretBox;
  }
}

export const secretsPlugin = fp(
  async (app) => {
    app.decorate('secrets', new SecretBox(loadEncryptionKey(app.config.encryptionKey, app.config.encryptionKeyFile)));
  },
  { name: 'secrets', dependencies: ['config'] },
);
