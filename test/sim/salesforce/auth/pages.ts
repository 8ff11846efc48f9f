import { escapeHtml } from '../http/reply.ts';

/**
 * The HTML of the login and OAuth approval pages. Element names and ids follow Salesforce's own pages (`username`,
 * `pw`, `startURL`, the `Login` button, `oaapprove` / `oadeny`), so browser automation written against the real
 * pages works here too.
 */

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:"Salesforce Sans",Arial,sans-serif;background:#f3f2f2;color:#16325c;margin:0}
#wrapper{max-width:380px;margin:60px auto;background:#fff;border:1px solid #d8dde6;border-radius:4px;padding:20px 24px}
#logo{font-size:28px;color:#00a1e0;font-weight:bold;text-align:center;margin-bottom:16px}
label{display:block;font-size:12px;margin-top:12px}
.input{width:100%;box-sizing:border-box;padding:10px;border:1px solid #d8dde6;border-radius:4px;font-size:14px}
.button{width:100%;margin-top:16px;padding:10px;border:0;border-radius:4px;background:#0070d2;color:#fff;font-size:14px}
.button.secondary{background:#fff;color:#0070d2;border:1px solid #d8dde6}
.loginError{color:#c23934;font-size:13px;margin:8px 0}
.hint{font-size:12px;color:#54698d}
</style></head>
<body>${body}</body></html>`;
}

export interface LoginPageInput {
  /** Where to go after login: a path on this host. */
  startUrl: string;
  /** Shown above the form (a My Domain or sandbox login says which). */
  hostLabel: string;
  error?: string;
  username?: string;
}

export function loginPage({ startUrl, hostLabel, error, username }: LoginPageInput): string {
  return page(
    'Login | Salesforce',
    `<div id="wrapper"><div id="logo">salesforce</div>
<p class="hint" id="login-host">${escapeHtml(hostLabel)}</p>
${error ? `<div id="error" class="loginError" role="alert">${escapeHtml(error)}</div>` : ''}
<form name="login" id="login_form" method="post" action="/" autocomplete="off" novalidate>
<input type="hidden" name="startURL" value="${escapeHtml(startUrl)}">
<label for="username">Username</label>
<input class="input r4 wide mb16 mt8 username" type="email" name="username" id="username" value="${escapeHtml(username ?? '')}">
<label for="password">Password</label>
<input class="input r4 wide mb16 mt8 password" type="password" name="pw" id="password" autocomplete="off">
<input class="button r4 wide primary" type="submit" id="Login" name="Login" value="Log In">
</form></div>`,
  );
}

export interface ApprovalPageInput {
  source: string;
  appName: string;
  username: string;
  scopes: string[];
}

const SCOPE_TEXT: Record<string, string> = {
  api: 'Manage user data via APIs',
  refresh_token: 'Perform requests at any time',
  offline_access: 'Perform requests at any time',
  id: 'Access the identity URL service',
  web: 'Manage user data via Web browsers',
  openid: 'Access unique user identifiers',
  full: 'Full access',
};

export function approvalPage({ source, appName, username, scopes }: ApprovalPageInput): string {
  const items = [...new Set(scopes.map((scope) => SCOPE_TEXT[scope] ?? scope))]
    .map((text) => `<li>${escapeHtml(text)}</li>`)
    .join('');
  return page(
    'Allow Access? | Salesforce',
    `<div id="wrapper"><div id="logo">salesforce</div>
<h2 id="oauth_title">Allow Access?</h2>
<p><strong id="app-name">${escapeHtml(appName)}</strong> is asking to:</p><ul id="scopes">${items}</ul>
<p class="hint">Logged in as <span id="username">${escapeHtml(username)}</span>. Do you want to allow access?</p>
<form id="RemoteAccessAuthorizationPage:frm" method="post" action="/setup/secur/RemoteAccessAuthorizationPage.apexp">
<input type="hidden" name="source" value="${escapeHtml(source)}">
<input class="button r4 wide secondary" type="submit" id="oadeny" name="oadeny" value="Deny">
<input class="button r4 wide primary" type="submit" id="oaapprove" name="oaapprove" value="Allow">
</form></div>`,
  );
}

export function errorPage(title: string, message: string): string {
  return page(
    `${title} | Salesforce`,
    `<div id="wrapper"><div id="logo">salesforce</div><h2>${escapeHtml(title)}</h2><p id="error">${escapeHtml(message)}</p></div>`,
  );
}
