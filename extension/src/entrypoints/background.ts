import { defineBackground } from 'wxt/utils/define-background';
import { registerActivityHandlers } from '../background/activity-handlers.ts';
import { registerAuthHandlers } from '../background/auth-handlers.ts';
import { registerBadgeHandlers } from '../background/badge-handlers.ts';
import { registerConnectionHandlers } from '../background/connection-handlers.ts';
import { registerDcHandlers } from '../background/dc-handlers.ts';
import { registerIntegrationHandlers } from '../background/integration-handlers.ts';
import { registerLiveEvents } from '../background/live-events.ts';
import { registerRunHandlers } from '../background/run-handlers.ts';
import { registerServerHandlers } from '../background/server-handlers.ts';

export default defineBackground(() => {
  registerServerHandlers();
  registerAuthHandlers();
  registerConnectionHandlers();
  registerIntegrationHandlers();
  registerActivityHandlers();
  registerDcHandlers();
  const liveEvents = registerLiveEvents();
  registerBadgeHandlers(liveEvents);
  registerRunHandlers(liveEvents);
});
