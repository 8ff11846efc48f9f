import { defineContentScript } from 'wxt/utils/define-content-script';
import { catalogWidget } from '../../features/catalog-widget.tsx';
import { featureHostFor, runFeatures } from '../../features/feature-runner.ts';
import { CATALOG_PAGE_MATCHES } from '../../host-patterns.ts';

// The styles travel inside the script (`?inline`) rather than as a CSS file: on custom domains, registered at run
// time, a CSS file would also have to be web-accessible to those origins.
export default defineContentScript({
  matches: CATALOG_PAGE_MATCHES,
  runAt: 'document_idle',
  cssInjectionMode: 'manual',
  main(ctx) {
    runFeatures(featureHostFor(ctx), ctx, [catalogWidget]);
  },
});
