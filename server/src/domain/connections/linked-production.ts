import { eq } from 'drizzle-orm';
import type { OrgLinkDatabase } from '../../db/database.ts';
import { connections } from '../../db/schema.ts';
import type { ConnectionRow } from './connection-repository.ts';

/**
 * What a sandbox connection takes over from the production connection it is linked to, at the moment of linking:
 * it "starts from its settings" and may diverge afterwards. Today that is the auto-run Duplicate Check setting;
 * the issues that add field maps and Duplicate Check scenarios extend this one function to copy theirs.
 */
export function applyLinkedProductionSettings(db: OrgLinkDatabase, sandboxId: string, production: ConnectionRow): void {
  db.update(connections)
    .set({ autoRunDuplicateCheck: production.autoRunDuplicateCheck, updatedAt: new Date().toISOString() })
    .where(eq(connections.id, sandboxId))
    .run();
}
