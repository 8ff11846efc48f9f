/**
 * The round trip between the Dynamics content script and its main-world helper (entrypoints/dynamics-xrm-org-id.ts),
 * kept free of imports so the helper's bundle carries nothing of the extension into the page.
 * The content script names a one-off event on the script tag; the helper answers with a CustomEvent whose detail is
 * the organization id as a string (strings cross the world boundary, objects do not), or '' when Xrm never answered.
 */
export const XRM_ORG_ID_EVENT_ATTRIBUTE = 'data-orglink-event';

/** Model-driven apps build Xrm after the page loads; the helper keeps asking for this long. */
export const XRM_WAIT_MS = 10_000;
export const XRM_POLL_MS = 250;
