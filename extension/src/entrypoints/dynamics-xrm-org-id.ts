import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { XRM_ORG_ID_EVENT_ATTRIBUTE, XRM_POLL_MS, XRM_WAIT_MS } from '../features/xrm-org-id-protocol.ts';

interface XrmGlobal {
  Xrm?: { Utility?: { getGlobalContext?: () => { organizationSettings?: { organizationId?: unknown } } } };
}

function organizationIdFromXrm(): string | undefined {
  try {
    const id = (window as XrmGlobal).Xrm?.Utility?.getGlobalContext?.()?.organizationSettings?.organizationId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs in the page's own (main) world, where model-driven apps keep `Xrm`, as Level Up for Dynamics reads it: asks
 * Xrm for the organization id and posts it back to the content script that injected this script.
 */
export default defineUnlistedScript(() => {
  const eventName = document.currentScript?.getAttribute(XRM_ORG_ID_EVENT_ATTRIBUTE);
  if (!eventName) return;
  const deadline = Date.now() + XRM_WAIT_MS;
  const attempt = () => {
    const organizationId = organizationIdFromXrm();
    if (organizationId || Date.now() >= deadline) {
      document.dispatchEvent(new CustomEvent(eventName, { detail: organizationId ?? '' }));
      return;
    }
    setTimeout(attempt, XRM_POLL_MS);
  };
  attempt();
});
