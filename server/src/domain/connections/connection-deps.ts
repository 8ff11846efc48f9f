import type { CrmDirectory } from '../../crm/crm-directory.ts';
import type { Config } from '../../plugins/config.ts';
import type { SecretBox } from '../../plugins/secrets.ts';
import type { EventDeps } from './connection-events.ts';

export interface WarningLogger {
  warn(details: object, message: string): void;
}

/** What the connection services need from the app; a FastifyInstance satisfies it. */
export interface ConnectionDeps extends EventDeps {
  secrets: SecretBox;
  crm: CrmDirectory;
  config: Config;
  log: WarningLogger;
}
