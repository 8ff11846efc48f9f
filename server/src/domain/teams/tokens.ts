import { createHash, randomBytes } from 'node:crypto';

/** High-entropy random secrets need no slow hash: SHA-256 is enough to make a stolen database useless. */
export const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

const randomPart = () => randomBytes(24).toString('base64url');

/** `olk_…`: a per-user API token. The prefix lets secret scanners and people recognise it. */
export const newApiToken = () => `olk_${randomPart()}`;

/** `olinv_…`: an invite code. */
export const newInviteCode = () => `olinv_${randomPart()}`;
