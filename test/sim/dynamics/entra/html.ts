import { escapeHtml } from '../http.ts';

const STYLE = `body{font-family:"Segoe UI",sans-serif;background:#f2f2f2;margin:0}
.box{background:#fff;width:440px;margin:80px auto;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
.title{font-size:24px;font-weight:600;margin:16px 0}.error{color:#e81123;margin:8px 0}
input[type=email],input[type=password]{width:100%;padding:6px 0;margin:8px 0;border:0;border-bottom:1px solid #666}
.buttons{text-align:right;margin-top:24px}.buttons input{min-width:108px;padding:6px 12px;margin-left:8px}`;

export interface SignInPage {
  action: string;
  ctx: string;
  username: string;
  error: string | undefined;
  tenantName: string;
}

/**
 * Entra's sign-in page, reduced to one step: the real page asks for the user name and then the password, but keeps
 * the same field names (`loginfmt`, `passwd`, `ctx`, `flowToken`) and button ids, which is what automation targets.
 */
export function signInPage(page: SignInPage): string {
  const error = page.error ? `<div id="passwordError" class="error" role="alert">${escapeHtml(page.error)}</div>` : '';
  return `<!DOCTYPE html>
<html dir="ltr" lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title>
<meta name="robots" content="none"><style>${STYLE}</style></head>
<body><div class="box" id="lightbox">
<div class="logo" role="img" aria-label="Microsoft">Microsoft</div>
<div class="title" role="heading" aria-level="1" id="loginHeader">Sign in</div>
<div class="tenant">${escapeHtml(page.tenantName)}</div>
${error}
<form name="f1" id="i0281" method="post" action="${escapeHtml(page.action)}" autocomplete="off" novalidate>
<input type="hidden" name="ctx" value="${escapeHtml(page.ctx)}">
<input type="hidden" name="flowToken" value="${escapeHtml(page.ctx)}">
<input type="hidden" name="login" value="${escapeHtml(page.username)}">
<input type="email" name="loginfmt" id="i0116" placeholder="Email, phone, or Skype" aria-label="Enter your email, phone, or Skype." value="${escapeHtml(page.username)}">
<input type="password" name="passwd" id="i0118" placeholder="Password" aria-label="Enter the password">
<div class="buttons">
<input type="submit" name="cancel" id="idBtn_Back" value="Cancel">
<input type="submit" id="idSIButton9" value="Sign in">
</div>
</form></div></body></html>`;
}

export function errorPage(code: number, message: string, correlationId: string, timestamp: string): string {
  return `<!DOCTYPE html>
<html dir="ltr" lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title><style>${STYLE}</style></head>
<body><div class="box" id="lightbox">
<div class="title" role="heading" aria-level="1">Sorry, but we're having trouble signing you in.</div>
<div id="errorMessage" class="error">AADSTS${code}: ${escapeHtml(message)}</div>
<div id="debugDetails"><div>Correlation ID: ${escapeHtml(correlationId)}</div><div>Timestamp: ${escapeHtml(timestamp)}</div></div>
</div></body></html>`;
}

/** `response_mode=form_post`: the auto-submitting form Entra returns instead of a redirect. */
export function formPostPage(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}" />`)
    .join('');
  return `<html><head><title>Working...</title></head><body>
<form method="POST" name="hiddenform" action="${escapeHtml(action)}">${inputs}
<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript></form>
<script language="javascript">window.setTimeout(function(){document.forms[0].submit();}, 0);</script>
</body></html>`;
}

export function signedOutPage(): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign out</title><style>${STYLE}</style></head>
<body><div class="box"><div class="title" role="heading" aria-level="1">You signed out of your account</div>
<div>It's a good idea to close all browser windows.</div></div></body></html>`;
}
