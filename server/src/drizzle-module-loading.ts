// Loads drizzle-orm's ~450 internal modules without Node's per-module package.json cost.
//
// For every `.js` module, Node 24's ESM loader asks the package scope for its "type" (getPackageScopeConfig), and
// that call JSON-parses the package's whole "exports" map each time. drizzle-orm's map is 179 KB, so importing it
// parsed it about 900 times: ~90 MB of garbage the young generation never returned to the OS (+130 MB RSS for the
// life of the process) and ~2.5 s of start-up. drizzle-orm declares "type": "module", so its relative `.js` imports
// are resolved here once, with their format, and never reach that lookup. Bare specifiers (ours, and drizzle's own
// imports of other packages) still go through Node's resolver.
import { readFileSync, realpathSync } from 'node:fs';
import { findPackageJSON, registerHooks } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

function drizzlePackageUrl(): string | undefined {
  const manifestPath = findPackageJSON('drizzle-orm', import.meta.url);
  if (!manifestPath) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { type?: string };
  // Only an ES-module package can skip the lookup: its `.js` files are modules by its "type".
  if (manifest.type !== 'module') return undefined;
  // Module URLs are real paths (pnpm links node_modules/drizzle-orm into its store).
  return `${pathToFileURL(path.dirname(realpathSync(manifestPath))).href}/`;
}

const packageUrl = drizzlePackageUrl();

if (packageUrl) {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL;
      if (parent?.startsWith(packageUrl) && (specifier.startsWith('./') || specifier.startsWith('../'))) {
        const url = new URL(specifier, parent).href;
        if (url.startsWith(packageUrl) && url.endsWith('.js')) return { url, format: 'module', shortCircuit: true };
      }
      return nextResolve(specifier, context);
    },
  });
}
