import type { Me } from '@orglink/shared';

/** Whether this browser is signed in to the OrgLink server in Settings, as pages see it (never with the token). */
export type Session =
  | { state: 'signed-out'; serverUrl: string; reason?: string }
  | {
      state: 'signed-in';
      serverUrl: string;
      me: Me;
      /** Set when the server could not be asked just now: `me` is then the last known answer. */
      problem?: string;
    };

/** Signing out always forgets the token here; the server is told too when it can be reached. */
export type SignOutResult = { serverRevoked: true } | { serverRevoked: false; problem: string };

/** The CRM sign-in opened in a popup window, or why the window could not open. */
export type LoginWindow = { windowId: number } | { windowId: null; problem: string };
