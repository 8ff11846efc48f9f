import '../../features/org-badge.css';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { dynamicsEnvironmentBadge } from '../../features/dynamics-environment-badge.tsx';
import { featureHostFor, runFeatures } from '../../features/feature-runner.ts';
import { DYNAMICS_PAGE_MATCHES } from '../../host-patterns.ts';

export default defineContentScript({
  matches: DYNAMICS_PAGE_MATCHES,
  runAt: 'document_idle',
  cssInjectionMode: 'ui',
  main(ctx) {
    runFeatures(featureHostFor(ctx), ctx, [dynamicsEnvironmentBadge]);
  },
});
