import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EXTENSION_ID, EXTENSION_ORIGIN, EXTENSION_PUBLIC_KEY } from './extension-identity.ts';

/** Chrome's rule: SHA-256 of the DER public key, first 16 bytes as hex, each digit 0-f mapped to a-p. */
function chromeExtensionId(publicKeyBase64: string): string {
  const digest = createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('hex');
  return [...digest.slice(0, 32)].map((digit) => String.fromCharCode(97 + Number.parseInt(digit, 16))).join('');
}

describe('extension identity', () => {
  it('pins the ID Chrome derives from the manifest key', () => {
    expect(chromeExtensionId(EXTENSION_PUBLIC_KEY)).toBe(EXTENSION_ID);
  });

  it('names the origin the API allows', () => {
    expect(EXTENSION_ORIGIN).toBe(`chrome-extension://${EXTENSION_ID}`);
  });
});
