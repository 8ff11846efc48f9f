import { defineBackground } from 'wxt/utils/define-background';
import { registerAuthHandlers } from '../background/auth-handlers.ts';
import { registerBadgeHandlers } from '../background/badge-handlers.ts';
import { registerConnectionHandlers } from '../background/connection-handlers.ts';
import { registerLiveEvents } from '../background/live-events.ts';
import { registerServerHandlers } from '../background/server-handlers.ts';

export default defineBackground(() => {
  registerServerHandlers();
  registerAuthHandlers();
  registerConnectionHandlers();
  registerBadgeHandlers(registerLiveEvents());
});
