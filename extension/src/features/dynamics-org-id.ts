import { injectScript } from 'wxt/utils/inject-script';
import { DYNAMICS_ORG_ID_MARKER } from '../host-patterns.ts';
import { normaliseDynamicsOrgId } from './org-badge-status.ts';
import { XRM_ORG_ID_EVENT_ATTRIBUTE, XRM_WAIT_MS } from './xrm-org-id-protocol.ts';

/**
 * The organization id of the Dynamics 365 environment this page belongs to: from the main-world Xrm context, or, if
 * Xrm does not answer in time, from the app header's `data-org-id`. Undefined when neither says.
 */
export async function readDynamicsOrgId(signal: AbortSignal): Promise<string | undefined> {
  const fromXrm = await askXrmForOrgId(signal);
  if (fromXrm || signal.aborted) return fromXrm;
  return normaliseDynamicsOrgId(document.querySelector(DYNAMICS_ORG_ID_MARKER)?.getAttribute('data-org-id'));
}

function askXrmForOrgId(signal: AbortSignal): Promise<string | undefined> {
  // A name of our own per request, so neither an older answer nor another extension's event is taken for this one.
  const eventName = `orglink:xrm-org-id:${crypto.randomUUID()}`;
  return new Promise((resolve) => {
    const finish = (id: string | undefined) => {
      clearTimeout(timer);
      document.removeEventListener(eventName, onAnswer);
      signal.removeEventListener('abort', onAbort);
      resolve(id);
    };
    const onAnswer = (event: Event) =>
      finish(event instanceof CustomEvent ? normaliseDynamicsOrgId(event.detail) : undefined);
    const onAbort = () => finish(undefined);
    const timer = setTimeout(() => finish(undefined), XRM_WAIT_MS + 1000);
    document.addEventListener(eventName, onAnswer);
    signal.addEventListener('abort', onAbort, { once: true });
    injectScript('/dynamics-xrm-org-id.js', {
      modifyScript: (script) => script.setAttribute(XRM_ORG_ID_EVENT_ATTRIBUTE, eventName),
    }).catch(() => finish(undefined));
  });
}
