import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const serverEntry = path.join(repoRoot, 'server', 'src', 'server.ts');
/** The production build `npm test` makes before the browser tests run. */
export const extensionBuild = path.join(repoRoot, 'extension', '.output', 'chrome-mv3');
