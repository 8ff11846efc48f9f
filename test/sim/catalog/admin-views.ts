import type { AdminSession, CatalogAccount, FieldMapping, SalesforceIntegrationState } from './account.ts';
import { type Html, html } from './html.ts';

/** Global Navigation items of the Catalog admin, in the guides' names; `key` is the stable `data-nav` marker. */
export const ADMIN_NAV = [
  { key: 'listings', label: 'Manage Listings', path: '/admin' },
  { key: 'catalogs', label: 'Manage Catalogs', path: '/admin/catalogs' },
  { key: 'promotions', label: 'Manage Promotions', path: '/admin/promotions' },
  { key: 'analytics', label: 'View Analytics', path: '/admin/analytics' },
  { key: 'tags', label: 'Tags', path: '/admin/tags' },
  { key: 'automations', label: 'Automations', path: '/admin/automations' },
  { key: 'subcatalog-admins', label: 'Subcatalog Admins', path: '/admin/subcatalog_admins' },
  { key: 'api', label: 'API', path: '/admin/api_keys' },
  { key: 'integrations', label: 'Integrations', path: '/admin/integrations' },
] as const;

export type AdminNavKey = (typeof ADMIN_NAV)[number]['key'];

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 "Lato","Helvetica Neue",Arial,sans-serif;color:#2d3b45;background:#f5f5f5}
a{color:#0770a3}.app-header{display:flex;align-items:center;gap:12px;height:56px;padding:0 20px;background:#fff;border-bottom:1px solid #c7cdd1}
.brand{font-weight:700;font-size:18px;color:#2d3b45;text-decoration:none}.brand-product{color:#73818c;font-size:13px}
.user-menu{margin-left:auto;position:relative}.user-menu summary{cursor:pointer;list-style:none;padding:6px 10px;border-radius:4px}
.user-menu summary:hover{background:#eef1f3}.user-menu ul{position:absolute;right:0;top:36px;min-width:160px;margin:0;padding:6px 0;
list-style:none;background:#fff;border:1px solid #c7cdd1;border-radius:4px;box-shadow:0 2px 6px rgba(0,0,0,.15);z-index:5}
.user-menu li a,.user-menu li button{display:block;width:100%;padding:6px 14px;text-align:left;background:none;border:0;font:inherit;color:#2d3b45;text-decoration:none;cursor:pointer}
.layout{display:flex;min-height:calc(100vh - 56px)}#global-nav{width:220px;flex:none;background:#394b58}
#global-nav ul{list-style:none;margin:0;padding:12px 0}#global-nav a{display:block;padding:10px 20px;color:#fff;text-decoration:none}
#global-nav a[aria-current=page]{background:#2d3b45;border-left:4px solid #0096db;padding-left:16px;font-weight:700}
#content{flex:1;padding:24px 32px;max-width:1100px}h1{font-size:24px;font-weight:400;margin:0 0 16px}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #c7cdd1}th,td{padding:8px 12px;border-bottom:1px solid #e6e9ea;text-align:left}
th{background:#f5f5f5;font-weight:700}.btn{display:inline-block;padding:7px 14px;border:1px solid #c7cdd1;border-radius:4px;background:#f5f5f5;
color:#2d3b45;font:inherit;text-decoration:none;cursor:pointer}.btn-primary{background:#0084d1;border-color:#0077bd;color:#fff}
.btn[disabled]{opacity:.5;cursor:not-allowed}.empty-state{padding:40px;text-align:center;background:#fff;border:1px dashed #c7cdd1;color:#73818c}
.integration-list{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:16px}
.integration-card{width:260px;background:#fff;border:1px solid #c7cdd1;border-radius:6px;padding:16px;display:flex;flex-direction:column;gap:10px}
.integration-tile{display:flex;align-items:center;gap:12px;text-decoration:none;color:#2d3b45;font-size:16px;font-weight:700}
.integration-status{font-size:13px;color:#73818c}.integration-status.is-linked{color:#0b874b;font-weight:700}
.integration-actions{display:flex;gap:8px}.tabs{display:flex;gap:4px;border-bottom:1px solid #c7cdd1;margin:16px 0}
.tabs a{padding:8px 14px;text-decoration:none;color:#2d3b45;border:1px solid transparent;border-bottom:0;border-radius:4px 4px 0 0}
.tabs a[aria-selected=true]{background:#fff;border-color:#c7cdd1;font-weight:700;margin-bottom:-1px}
.panel{background:#fff;border:1px solid #c7cdd1;border-radius:6px;padding:20px}.flash{padding:10px 14px;border-radius:4px;margin-bottom:16px}
.flash-notice{background:#e5f5ec;border:1px solid #0b874b}.flash-error{background:#fbeaea;border:1px solid #e0061f}
.stat-list{display:flex;gap:16px;flex-wrap:wrap;list-style:none;padding:0}.stat-list li{background:#fff;border:1px solid #c7cdd1;border-radius:6px;padding:16px;min-width:180px}
.stat-list strong{display:block;font-size:26px;font-weight:400}label{display:block;margin:10px 0 4px;font-weight:700}
input[type=text],input[type=email],input[type=password],select{padding:7px 9px;border:1px solid #c7cdd1;border-radius:4px;font:inherit;min-width:240px}
.login-box{max-width:380px;margin:80px auto;background:#fff;border:1px solid #c7cdd1;border-radius:6px;padding:28px}
`;

const SALESFORCE_ICON = html`<svg class="integration-icon" width="40" height="28" viewBox="0 0 40 28" aria-hidden="true"><path fill="#00a1e0" d="M16.6 3.1A7 7 0 0 1 27.7 4a8.6 8.6 0 0 1 12.3 7.7 8.6 8.6 0 0 1-10.3 8.4 6.3 6.3 0 0 1-8.2 2.6A7.3 7.3 0 0 1 8 21.8 6.7 6.7 0 0 1 3.4 10.3a7.7 7.7 0 0 1 13.2-7.2z"/></svg>`;

export interface PageOptions {
  title: string;
  nav?: AdminNavKey;
  page: string;
  session: AdminSession;
  flash?: { kind: 'notice' | 'error'; text: string } | undefined;
}

function csrfField(session: AdminSession): Html {
  return html`<input type="hidden" name="authenticity_token" value="${session.csrfToken}">`;
}

/** The admin shell every page shares: header with the user-name menu, Global Navigation, content. */
export function adminLayout(account: CatalogAccount, options: PageOptions, body: Html): string {
  const { session } = options;
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-param" content="authenticity_token">
<meta name="csrf-token" content="${session.csrfToken}">
<title>${options.title} | ${account.name} Admin</title>
<style>${STYLE}</style>
</head>
<body class="catalog-admin" data-catalog-host="${account.hostname}" data-root-account-id="${account.rootAccountId}">
<header class="app-header" role="banner">
  <a class="brand" href="/admin">${account.name}</a><span class="brand-product">Catalog Admin</span>
  <details class="user-menu" id="user-menu">
    <summary aria-label="User menu">${account.admin.name}</summary>
    <ul>
      <li><a href="/admin">Admin</a></li>
      <li><a href="/">View Catalog</a></li>
      <li><form method="post" action="/logout">${csrfField(session)}<button type="submit">Log Out</button></form></li>
    </ul>
  </details>
</header>
<div class="layout">
<nav id="global-nav" aria-label="Global Navigation">
  <ul>
    ${ADMIN_NAV.map(
      (item) =>
        html`<li><a href="${item.path}" data-nav="${item.key}"${item.key === options.nav ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
    )}
  </ul>
</nav>
<main id="content" data-page="${options.page}">
${options.flash ? html`<div class="flash flash-${options.flash.kind}" role="alert">${options.flash.text}</div>` : ''}
${body}
</main>
</div>
</body>
</html>
`.text;
}

export function loginPage(
  account: CatalogAccount,
  options: { error?: string; email?: string; returnTo: string },
): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Log In | ${account.name}</title>
<style>${STYLE}</style>
</head>
<body class="catalog-login">
<main class="login-box" data-page="login">
  <h1>${account.name}</h1>
  ${options.error ? html`<div class="flash flash-error" role="alert">${options.error}</div>` : ''}
  <form method="post" action="/login" id="login-form">
    <input type="hidden" name="return_to" value="${options.returnTo}">
    <label for="email">Email</label>
    <input type="email" id="email" name="email" autocomplete="username" value="${options.email ?? ''}" required>
    <label for="password">Password</label>
    <input type="password" id="password" name="password" autocomplete="current-password" required>
    <p><button class="btn btn-primary" type="submit">Log In</button></p>
  </form>
</main>
</body>
</html>
`.text;
}

function money(amount: number, currency: string): string {
  return amount === 0 ? 'Free' : `${currency === 'USD' ? '$' : `${currency} `}${amount.toFixed(2)}`;
}

export function listingsBody(account: CatalogAccount): Html {
  const catalogName = new Map(account.catalogs.map((catalog) => [catalog.id, catalog.name]));
  const enrollmentCount = new Map<number, number>();
  for (const enrollment of account.enrollments) {
    enrollmentCount.set(enrollment.listing_id, (enrollmentCount.get(enrollment.listing_id) ?? 0) + 1);
  }
  return html`<h1>Listings</h1>
<table id="listings-table">
  <thead><tr><th>Title</th><th>Catalog</th><th>Visibility</th><th>Enrollment</th><th>Fee</th><th>Enrollments</th></tr></thead>
  <tbody>
  ${account.courses.map(
    (course) => html`<tr data-listing-id="${course.id}">
    <td>${course.title}</td><td>${catalogName.get(course.catalogId) ?? ''}</td><td>${course.visibility}</td>
    <td>${course.enrollment_open ? 'Open' : 'Closed'}</td><td>${money(course.enrollment_fee, course.currency)}</td>
    <td>${enrollmentCount.get(course.id) ?? 0}</td></tr>`,
  )}
  </tbody>
</table>`;
}

export function catalogsBody(account: CatalogAccount): Html {
  const registered = new Map<number, number>();
  for (const user of account.users()) {
    registered.set(user.registered_account_id, (registered.get(user.registered_account_id) ?? 0) + 1);
  }
  const names = new Map(account.catalogs.map((catalog) => [catalog.id, catalog.name]));
  return html`<h1>Catalogs</h1>
<table id="catalogs-table">
  <thead><tr><th>Name</th><th>Path</th><th>Parent</th><th>Registered users</th></tr></thead>
  <tbody>
  ${account.catalogs.map(
    (catalog) => html`<tr data-catalog-id="${catalog.id}"><td>${catalog.name}</td><td>/${catalog.path}</td>
    <td>${catalog.parent_id === null ? '—' : (names.get(catalog.parent_id) ?? '')}</td><td>${registered.get(catalog.id) ?? 0}</td></tr>`,
  )}
  </tbody>
</table>`;
}

export function emptyStateBody(heading: string, text: string): Html {
  return html`<h1>${heading}</h1><div class="empty-state">${text}</div>`;
}

export function analyticsBody(account: CatalogAccount): Html {
  const users = account.users();
  const viaCatalog = users.filter((user) => user.registered_in_catalog).length;
  const monthAgo = account.now() - 30 * 86_400_000;
  const stats: [string, string, number][] = [
    ['users', 'Users', users.length],
    ['registered-in-catalog', 'Registered through Catalog', viaCatalog],
    ['registered-in-canvas', 'Registered through Canvas', users.length - viaCatalog],
    ['new-users', 'New users (30 days)', users.filter((user) => user.created_at >= monthAgo).length],
    ['enrollments', 'Enrollments', account.enrollments.length],
    ['listings', 'Listings', account.courses.length],
  ];
  return html`<h1>Analytics</h1>
<ul class="stat-list" id="analytics-summary">
  ${stats.map(([key, label, value]) => html`<li data-stat="${key}"><strong>${value.toLocaleString('en-US')}</strong>${label}</li>`)}
</ul>`;
}

export function tagsBody(account: CatalogAccount): Html {
  const counts = new Map<string, number>();
  for (const course of account.courses) for (const tag of course.tag_names) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  const tags = [...counts].sort(([a], [b]) => a.localeCompare(b));
  if (tags.length === 0) return emptyStateBody('Tags', 'No listings are tagged yet.');
  return html`<h1>Tags</h1>
<table id="tags-table"><thead><tr><th>Tag</th><th>Listings</th></tr></thead>
<tbody>${tags.map(([tag, count]) => html`<tr><td>${tag}</td><td>${count}</td></tr>`)}</tbody></table>`;
}

export function subcatalogAdminsBody(account: CatalogAccount): Html {
  const root = account.catalogs.find((catalog) => catalog.parent_id === null);
  return html`<h1>Subcatalog Admins</h1>
<table id="admins-table"><thead><tr><th>Name</th><th>Email</th><th>Catalog</th></tr></thead>
<tbody><tr><td>${account.admin.name}</td><td>${account.admin.email}</td><td>${root?.name ?? account.name}</td></tr></tbody></table>`;
}

function maskToken(token: string): string {
  return token.length <= 8 ? token : `${token.slice(0, 4)}…${token.slice(-4)}`;
}

export function apiKeysBody(account: CatalogAccount, session: AdminSession, created?: string): Html {
  return html`<h1>API</h1>
${created ? html`<div class="panel" id="new-api-key">New API key (copy it now): <code data-api-key>${created}</code></div>` : ''}
<form method="post" action="/admin/api_keys">${csrfField(session)}<p><button class="btn btn-primary" type="submit">+ API Key</button></p></form>
<table id="api-keys-table"><thead><tr><th>Key</th><th></th></tr></thead>
<tbody>${account.apiTokens.map(
    (token) => html`<tr><td><code>${maskToken(token)}</code></td><td>
  <form method="post" action="/admin/api_keys/revoke">${csrfField(session)}<input type="hidden" name="key" value="${token}">
  <button class="btn" type="submit">Delete</button></form></td></tr>`,
  )}</tbody></table>
<p>Send a key as <code>Authorization: Token token="&lt;key&gt;"</code>. Documentation: <a href="/api/docs">/api/docs</a>.</p>`;
}

export function integrationsBody(account: CatalogAccount): Html {
  const state = account.integration;
  const status = state.linked ? 'linked' : 'unlinked';
  return html`<h1>Integrations</h1>
<p class="integrations-intro">Integrations apply to ${account.name} and all of its subcatalogs.</p>
<ul class="integration-list" id="integrations" aria-label="Integrations">
  <li class="integration-card" data-integration="salesforce" data-integration-status="${status}">
    <a class="integration-tile" href="/admin/integrations/salesforce" aria-label="Salesforce">${SALESFORCE_ICON}<span class="integration-name">Salesforce</span></a>
    ${
      state.linked
        ? html`<span class="integration-status is-linked" data-status="linked">&#10003; Linked</span>
    ${state.salesforceUsername ? html`<span class="integration-account">${state.salesforceUsername}</span>` : ''}`
        : html`<span class="integration-status" data-status="unlinked">Not linked</span>`
    }
    <div class="integration-actions">
      ${
        state.linked
          ? html`<a class="btn" href="/admin/integrations/salesforce?tab=mapping" data-action="widget">Widget</a>`
          : html`<a class="btn btn-primary" href="/admin/integrations/salesforce" data-action="link">Link</a>`
      }
    </div>
  </li>
</ul>`;
}

/** Catalog fields offered in the Mapping tab: the user object's fields and every registration field in use. */
export function catalogFieldOptions(account: CatalogAccount): [string, string][] {
  const custom = new Set<string>();
  for (const user of account.users().slice(0, 500)) for (const key of Object.keys(user.custom_fields)) custom.add(key);
  return [
    ['first_name', 'First Name'],
    ['last_name', 'Last Name'],
    ['email_address', 'Email'],
    ['user_name', 'Full Name'],
    ['time_zone', 'Time Zone'],
    ['created_at', 'Created At'],
    ['id', 'Catalog User ID'],
    ['canvas_user_id', 'Canvas User ID'],
    ['canvas_user_uuid', 'Canvas User UUID'],
    ['registered_account_id', 'Subcatalog'],
    ...[...custom].sort().map((key): [string, string] => [`custom_fields.${key}`, `Custom: ${key}`]),
  ];
}

export const SALESFORCE_FIELDS: Readonly<Record<'Contact' | 'Lead', readonly string[]>> = {
  Contact: ['FirstName', 'LastName', 'Email', 'Phone', 'Title', 'Department', 'Description', 'MailingCity'],
  Lead: ['FirstName', 'LastName', 'Email', 'Phone', 'Title', 'Company', 'LeadSource', 'Description'],
};

function select(name: string, options: readonly (readonly [string, string])[], selected: string): Html {
  return html`<select name="${name}"><option value="">—</option>${options.map(
    ([value, label]) => html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`,
  )}</select>`;
}

export type SalesforceTab = 'mapping' | 'quick_actions' | 'job_history';

function mappingPanel(account: CatalogAccount, session: AdminSession, state: SalesforceIntegrationState): Html {
  const catalogOptions = catalogFieldOptions(account);
  const sfOptions = SALESFORCE_FIELDS[state.table].map((field) => [field, field] as const);
  const rows: FieldMapping[] = [
    ...state.fieldMap,
    ...Array.from({ length: 3 }, () => ({ catalogField: '', salesforceField: '' })),
  ];
  return html`<form method="post" action="/admin/integrations/salesforce/mapping" id="mapping-form">${csrfField(session)}
  <label for="table">Table</label>
  <select id="table" name="table">${(['Contact', 'Lead'] as const).map(
    (table) => html`<option value="${table}"${table === state.table ? html` selected` : ''}>${table}</option>`,
  )}</select>
  <table id="field-map"><thead><tr><th>Catalog field</th><th>Salesforce field</th></tr></thead><tbody>
  ${rows.map(
    (
      row,
      index,
    ) => html`<tr data-row="${index}"><td>${select(`field_map[${index}][catalog_field]`, catalogOptions, row.catalogField)}</td>
    <td>${select(`field_map[${index}][salesforce_field]`, sfOptions, row.salesforceField)}</td></tr>`,
  )}
  </tbody></table>
  <p class="hint">First Name, Last Name and Email are always mapped.</p>
  <p><button class="btn btn-primary" type="submit">Save</button></p>
</form>`;
}

function quickActionsPanel(session: AdminSession): Html {
  return html`<div class="quick-actions" id="quick-actions">
  <p class="hint">Catalog writes users to Salesforce daily at 12 am UTC.</p>
  <p><button class="btn btn-primary" type="button" data-action="run-write-job" disabled
    title="The simulator does not run Catalog's own write job">Run Write Job</button></p>
  <p><a class="btn" href="/admin/integrations/salesforce?tab=mapping" data-action="edit-field-map">Edit field map</a></p>
  <p><a class="btn" href="/admin/integrations/salesforce?reconnect=1" data-action="reconnect">Reconnect</a></p>
  <form method="post" action="/admin/integrations/salesforce/unlink">${csrfField(session)}
    <button class="btn" type="submit" data-action="unlink">Unlink</button></form>
</div>`;
}

function jobHistoryPanel(state: SalesforceIntegrationState): Html {
  if (state.jobs.length === 0) return html`<div class="empty-state" id="job-history">No write jobs have run yet.</div>`;
  const jobs = [...state.jobs].sort((a, b) => b.startedAt - a.startedAt);
  return html`<table id="job-history"><thead><tr><th>Started</th><th>Finished</th><th>Status</th><th>Records</th><th>Failed</th><th>Message</th></tr></thead>
<tbody>${jobs.map(
    (
      job,
    ) => html`<tr data-job-id="${job.id}" data-job-status="${job.status.toLowerCase()}"><td>${new Date(job.startedAt).toISOString()}</td>
  <td>${job.finishedAt === null ? '' : new Date(job.finishedAt).toISOString()}</td><td>${job.status}</td>
  <td>${job.recordsProcessed}</td><td>${job.recordsFailed}</td><td>${job.message ?? ''}</td></tr>`,
  )}</tbody></table>`;
}

function salesforceLoginPanel(session: AdminSession, state: SalesforceIntegrationState, customDomain: boolean): Html {
  return html`<div class="panel" data-panel="salesforce-login">
  <h2>Log in to Salesforce</h2>
  <form method="post" action="/admin/integrations/salesforce/link" id="salesforce-login-form">${csrfField(session)}
    ${
      customDomain
        ? html`<label for="custom-domain">Custom Domain</label>
    <input type="text" id="custom-domain" name="custom_domain" placeholder="mycompany.my.salesforce.com" required>`
        : html`<p><a href="/admin/integrations/salesforce?custom_domain=1" data-action="use-custom-domain">Use Custom Domain</a></p>`
    }
    <label for="sf-username">Username</label>
    <input type="text" id="sf-username" name="username" value="${state.salesforceUsername ?? ''}" required>
    <p><button class="btn btn-primary" type="submit">Log In</button></p>
  </form>
</div>`;
}

export function salesforceBody(
  account: CatalogAccount,
  session: AdminSession,
  view: { tab: SalesforceTab; reconnect: boolean; customDomain: boolean },
): Html {
  const state = account.integration;
  const header = html`<p><a href="/admin/integrations">&larr; Integrations</a></p>
<h1>${SALESFORCE_ICON} Salesforce</h1>`;
  if (!state.linked || view.reconnect) {
    return html`${header}<section data-integration="salesforce" data-integration-status="${state.linked ? 'linked' : 'unlinked'}">
${salesforceLoginPanel(session, state, view.customDomain)}</section>`;
  }
  const tabs: [SalesforceTab, string][] = [
    ['mapping', 'Mapping'],
    ['quick_actions', 'Quick Actions'],
    ['job_history', 'Job History'],
  ];
  const panel =
    view.tab === 'mapping'
      ? mappingPanel(account, session, state)
      : view.tab === 'quick_actions'
        ? quickActionsPanel(session)
        : jobHistoryPanel(state);
  return html`${header}
<section data-integration="salesforce" data-integration-status="linked" class="connection-window" aria-label="Salesforce connection">
  <p><span class="integration-status is-linked" data-status="linked">&#10003; Linked</span>
  ${state.salesforceUsername ? html` as <span class="integration-account">${state.salesforceUsername}</span>` : ''}
  ${state.instanceUrl ? html` (<span class="integration-instance">${state.instanceUrl}</span>)` : ''}</p>
  <nav class="tabs" role="tablist">${tabs.map(
    ([key, label]) =>
      html`<a role="tab" href="/admin/integrations/salesforce?tab=${key}" data-tab="${key}" aria-selected="${key === view.tab ? 'true' : 'false'}">${label}</a>`,
  )}</nav>
  <div class="panel" role="tabpanel" data-panel="${view.tab}">${panel}</div>
</section>`;
}
