import { defineBackground } from 'wxt/utils/define-background';
import { registerServerHandlers } from '../background/server-handlers.ts';

export default defineBackground(() => {
  registerServerHandlers();
});
