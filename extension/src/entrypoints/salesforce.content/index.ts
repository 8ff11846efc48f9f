import '../../features/org-badge.css';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { featureHostFor, runFeatures } from '../../features/feature-runner.ts';
import { salesforceOrgBadge } from '../../features/salesforce-org-badge.tsx';
import { SALESFORCE_PAGE_MATCHES } from '../../host-patterns.ts';

// Top frame only: the badge belongs to the page, not to every Visualforce or Lightning iframe inside it.
export default defineContentScript({
  matches: SALESFORCE_PAGE_MATCHES,
  runAt: 'document_idle',
  cssInjectionMode: 'ui',
  main(ctx) {
    runFeatures(featureHostFor(ctx), ctx, [salesforceOrgBadge]);
  },
});
