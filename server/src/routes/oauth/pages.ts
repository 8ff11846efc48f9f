import type { FastifyReply } from 'fastify';
import type { DiscoveredEnvironment } from '../../crm/dynamics/dynamics-oauth.ts';
import { DPA_SECTIONS, DPA_VERSION } from '../../domain/connections/dpa.ts';

/**
 * The pages a browser sees during a sign-in: server-rendered, no script, every value escaped. Each problem page
 * says what happened and what to do, because the admin is alone with it in a popup window.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);

type Tone = 'success' | 'problem' | 'question';

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f4f6f9;color:#1c2733;margin:0}
main{max-width:640px;margin:40px auto;background:#fff;border:1px solid #d9dee5;border-radius:8px;padding:24px 28px}
h1{font-size:20px;margin:0 0 12px}.success h1{color:#1b7a3d}.problem h1{color:#b3261e}
.brand{font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:#5b6b7c;margin-bottom:8px}
dl{margin:0}dt{font-weight:600;margin-top:12px}dd{margin:4px 0 0}.facts{background:#f4f6f9;border-radius:6px;padding:8px 12px}
.notice{border-left:4px solid #c77700;background:#fff8e6;padding:8px 12px;margin:12px 0}
.actions{display:flex;gap:12px;margin-top:20px}button{font-size:15px;padding:10px 18px;border-radius:6px;cursor:pointer}
button.primary{background:#0b5cad;border:1px solid #0b5cad;color:#fff}button.secondary{background:#fff;border:1px solid #9aa7b4;color:#1c2733}
label.env{display:block;border:1px solid #d9dee5;border-radius:6px;padding:10px 12px;margin-top:8px}.muted{color:#5b6b7c;font-size:13px}`;

function page(title: string, tone: Tone, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · OrgLink</title><style>${STYLE}</style></head>
<body><main class="${tone}"><div class="brand">OrgLink</div><h1>${escapeHtml(title)}</h1>
${body}</main></body></html>`;
}

/** No caching, no referrer beyond this origin (the URL carries a code), no framing, no script; forms post only here. */
export function sendPage(reply: FastifyReply, status: number, html: string) {
  return reply
    .status(status)
    .headers({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // same-origin, not no-referrer: the callback URL carries the OAuth code, which must not leak to other sites,
      // while the DPA form post needs its real Origin to pass the API's origin check (no-referrer sends Origin: null).
      'referrer-policy': 'same-origin',
      'x-frame-options': 'DENY',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    })
    .send(html);
}

export function problemPage(title: string, whatHappened: string, whatToDo: string): string {
  return page(
    title,
    'problem',
    `<p id="what-happened">${escapeHtml(whatHappened)}</p><p id="what-to-do"><strong>What to do:</strong> ${escapeHtml(whatToDo)}</p>`,
  );
}

export function messagePage(title: string, tone: Tone, paragraphs: string[]): string {
  return page(title, tone, paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('\n'));
}

const hidden = (name: string, value: string) =>
  `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;

export interface ConsentPageInput {
  flowId: string;
  formToken: string;
  connectionName: string;
  crm: string;
  orgName: string | null;
  orgId: string;
  username: string;
  notices: string[];
}

export function consentPage(input: ConsentPageInput): string {
  const sections = DPA_SECTIONS.map(
    (section) => `<dt>${escapeHtml(section.heading)}</dt><dd>${escapeHtml(section.text)}</dd>`,
  ).join('');
  const notices = input.notices.map((text) => `<p class="notice">${escapeHtml(text)}</p>`).join('');
  return page(
    'Data Processing Agreement',
    'question',
    `<p>You signed in to ${escapeHtml(input.crm)} for the connection <strong>${escapeHtml(input.connectionName)}</strong>. Nothing is stored until you accept.</p>
<div class="facts"><dl><dt>Org</dt><dd id="org-name">${escapeHtml(input.orgName ?? input.orgId)}</dd>
<dt>Org ID</dt><dd id="org-id">${escapeHtml(input.orgId)}</dd><dt>Signed in as</dt><dd>${escapeHtml(input.username)}</dd></dl></div>
${notices}
<h2 style="font-size:16px;margin-top:20px">Summary of the agreement <span class="muted">(version ${DPA_VERSION})</span></h2>
<dl id="dpa">${sections}</dl>
<p>By choosing Accept you confirm, for your team, that you may connect this org and that your team agrees to these terms.</p>
<form method="post" action="/oauth/consent">${hidden('flow', input.flowId)}${hidden('token', input.formToken)}
<div class="actions"><button class="primary" type="submit" name="decision" value="accept" id="accept">Accept</button>
<button class="secondary" type="submit" name="decision" value="decline" id="decline">Decline</button></div></form>`,
  );
}

export interface EnvironmentPageInput {
  flowId: string;
  formToken: string;
  username: string;
  cloudLabel: string;
  environments: DiscoveredEnvironment[];
  error?: string;
}

export function environmentPage(input: EnvironmentPageInput): string {
  const preselected = input.environments.find((environment) => environment.enabled)?.id;
  const options = input.environments
    .map((environment) => {
      const detail = [environment.url, environment.region, environment.enabled ? undefined : 'disabled']
        .filter(Boolean)
        .join(' · ');
      return `<label class="env"><input type="radio" name="environment" value="${escapeHtml(environment.id)}"${environment.id === preselected ? ' checked' : ''}${environment.enabled ? '' : ' disabled'}>
<strong>${escapeHtml(environment.friendlyName)}</strong> <span class="muted">${escapeHtml(detail)}</span></label>`;
    })
    .join('\n');
  return page(
    'Choose the Dynamics 365 environment',
    'question',
    `<p>Signed in as ${escapeHtml(input.username)} (${escapeHtml(input.cloudLabel)}). These are the environments you can reach; choose the one this connection is for.</p>
${input.error ? `<p class="notice" role="alert">${escapeHtml(input.error)}</p>` : ''}
<form method="post" action="/oauth/dynamics/environment">${hidden('flow', input.flowId)}${hidden('token', input.formToken)}
${options}
<div class="actions"><button class="primary" type="submit" id="continue">Continue</button></div></form>`,
  );
}
