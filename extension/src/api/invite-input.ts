import { INVITE_CODE_PATTERN } from '@orglink/shared';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const INVITE_CODE = new RegExp(INVITE_CODE_PATTERN);
const INVITE_PREFIX = 'olinv_';
const DISPLAY_NAME_MAX = 80;

/** Checks a pasted invite code before it is sent, so a slip gets a message saying what a code looks like. */
export function parseInviteCode(input: string): Checked<string> {
  const code = input.trim();
  if (!code) return { ok: false, message: `Paste the invite code you were given; it starts with ${INVITE_PREFIX}.` };
  if (!code.startsWith(INVITE_PREFIX)) {
    return {
      ok: false,
      message: `An invite code starts with ${INVITE_PREFIX}. Copy the whole code from the message or terminal that showed it.`,
    };
  }
  if (!INVITE_CODE.test(code)) {
    return {
      ok: false,
      message: `This invite code is incomplete or contains characters a code never has. Copy it again, whole: ${INVITE_PREFIX} followed by 20 to 64 letters, digits, - or _.`,
    };
  }
  return { ok: true, value: code };
}

export function parseDisplayName(input: string): Checked<string> {
  const name = input.trim();
  if (!name) return { ok: false, message: 'Enter your name as your teammates will see it.' };
  if (name.length > DISPLAY_NAME_MAX) {
    return {
      ok: false,
      message: `Keep your name to ${DISPLAY_NAME_MAX} characters or fewer (this one has ${name.length}).`,
    };
  }
  return { ok: true, value: name };
}
