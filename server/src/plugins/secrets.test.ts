import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StartupError } from '../http-errors.ts';
import { loadEncryptionKey, SecretBox } from './secrets.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'orglink-key-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 1));

  it('seals with a fresh IV each time and opens what it sealed', () => {
    const first = box.seal('refresh-token-value', 'connection-1');
    const second = box.seal('refresh-token-value', 'connection-1');
    expect(first).not.toBe(second);
    expect(first).not.toContain('refresh-token-value');
    expect(box.open(first, 'connection-1')).toBe('refresh-token-value');
    expect(box.openJson(box.sealJson({ a: 1 }, 'x'), 'x')).toEqual({ a: 1 });
  });

  it('refuses a ciphertext moved to another row, tampered with, or sealed with another key', () => {
    const sealed = box.seal('secret', 'connection-1');
    expect(() => box.open(sealed, 'connection-2')).toThrow();
    const [format, iv, tag, data] = sealed.split(':');
    const flipped = Buffer.from(data ?? '', 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => box.open([format, iv, tag, flipped.toString('base64')].join(':'), 'connection-1')).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 2)).open(sealed, 'connection-1')).toThrow();
  });
});

describe('loadEncryptionKey', () => {
  it('creates the key file once, readable by its owner only, and reuses it', () => {
    const file = path.join(tempDir(), 'data', 'orglink.key');
    const key = loadEncryptionKey(undefined, file);
    expect(key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadEncryptionKey(undefined, file).equals(key)).toBe(true);
    expect(readFileSync(file, 'utf8').trim()).toBe(key.toString('base64'));
  });

  it('prefers ENCRYPTION_KEY and refuses a key file others can read or of the wrong size', () => {
    const fromEnvironment = Buffer.alloc(32, 9);
    expect(loadEncryptionKey(fromEnvironment, path.join(tempDir(), 'unused.key'))).toBe(fromEnvironment);
    const open = path.join(tempDir(), 'open.key');
    writeFileSync(open, Buffer.alloc(32).toString('base64'), { mode: 0o644 });
    expect(() => loadEncryptionKey(undefined, open)).toThrow(StartupError);
    expect(() => loadEncryptionKey(undefined, open)).toThrow(/chmod 600/);
    const short = path.join(tempDir(), 'short.key');
    writeFileSync(short, 'c2hvcnQ=', { mode: 0o600 });
    expect(() => loadEncryptionKey(undefined, short)).toThrow(/32-byte/);
  });
});
