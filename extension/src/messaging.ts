import { defineExtensionMessaging } from '@webext-core/messaging';
import type { ServerStatus } from './api/server-status.ts';

export type SaveServerUrlResult = { saved: true; status: ServerStatus } | { saved: false; message: string };

/** Every message pages and content scripts may send the background, with its answer's type. */
interface ProtocolMap {
  getServerStatus(): ServerStatus;
  saveServerUrl(input: string): SaveServerUrlResult;
  getServerUrl(): string;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();
