import { escapeHtml } from '../http/reply.ts';
import type { Org, OrgUser } from '../model/org.ts';
import type { SfRecord } from '../model/record-store.ts';
import type { ObjectDef } from '../schema/types.ts';

/**
 * Server-rendered stand-ins for Lightning Experience pages, carrying the markers extensions detect Salesforce by:
 * `<body class="desktop">`, the Aura loading box (`#auraLoadingBox`, Salesforce Inspector's Lightning gate), the
 * one.app containers (`oneOne`, `oneHeader`, `oneContent`), and record fields as `records-record-layout-item`
 * elements. A small `$A` stub answers `e.force:navigateToSObject` / `e.force:navigateToURL` like Aura does.
 */

const NAV_OBJECTS = ['Account', 'Contact', 'Lead'];

const AURA_STUB = `<script>
(function () {
  function event(name) {
    var params = {};
    return {
      setParams: function (p) { params = p || {}; return this; },
      fire: function () {
        if (name === 'e.force:navigateToSObject' && params.recordId) {
          var prefixes = { '001': 'Account', '003': 'Contact', '00Q': 'Lead' };
          var type = prefixes[String(params.recordId).slice(0, 3)] || 'Account';
          window.location.assign('/lightning/r/' + type + '/' + params.recordId + '/view');
        } else if (name === 'e.force:navigateToURL' && params.url) {
          window.location.assign(params.url);
        }
      }
    };
  }
  window.$A = { get: function (name) { return name.indexOf('e.') === 0 ? event(name) : undefined; } };
  window.Aura = window.Aura || { initConfig: { context: { app: 'one:one' } } };
})();
</script>`;

export interface ShellInput {
  org: Org;
  user: OrgUser;
  title: string;
  /** The object tab to highlight. */
  activeTab?: string;
  content: string;
}

export function lightningShell({ org, user, title, activeTab, content }: ShellInput): string {
  const tabs = ['Home', ...NAV_OBJECTS]
    .map((name) => {
      const href = name === 'Home' ? '/lightning/page/home' : `/lightning/o/${name}/list`;
      const label = name === 'Home' ? 'Home' : `${name}s`;
      const active = (activeTab ?? 'Home') === name ? ' slds-is-active' : '';
      return `<li class="slds-context-bar__item${active}" data-tab="${name}"><a href="${href}" class="slds-context-bar__label-action" title="${label}">${label}</a></li>`;
    })
    .join('');
  return `<!DOCTYPE html>
<html lang="en" class="desktop"><head><meta charset="utf-8">
<title>${escapeHtml(title)} | Salesforce</title>
${AURA_STUB}
<style>
body{margin:0;font-family:"Salesforce Sans",Arial,sans-serif;background:#f3f2f2;color:#080707}
.oneHeader{background:#fff;border-bottom:1px solid #dddbda;padding:8px 16px;display:flex;justify-content:space-between}
.slds-context-bar{background:#fff;border-bottom:3px solid #0176d3;margin:0;padding:0 16px;display:flex;list-style:none}
.slds-context-bar__item a{display:block;padding:10px 14px;color:#080707;text-decoration:none}
.slds-context-bar__item.slds-is-active a{border-bottom:3px solid #0176d3}
.oneContent{padding:16px}.slds-card{background:#fff;border:1px solid #dddbda;border-radius:4px;padding:12px 16px;margin-bottom:12px}
.slds-form-element{display:grid;grid-template-columns:220px 1fr;border-bottom:1px solid #eee;padding:6px 0}
.test-id__field-label{color:#444;font-size:13px}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:6px;border-bottom:1px solid #eee}
#auraLoadingBox.hidden{display:none}
</style></head>
<body class="desktop">
<div id="auraLoadingBox" class="auraLoadingBox oneLoadingBox hidden"><div class="logo"></div><div class="spinner"></div></div>
<div id="auraErrorMask"><div id="auraError" class="auraErrorBox"></div></div>
<div class="desktop container forceStyle oneOne navexDesktopLayoutContainer lafAppLayoutHost forceAccess" data-aura-class="oneOne" data-org-id="${org.orgId}">
<header class="oneHeader slds-global-header_container" data-aura-class="oneHeader">
<span class="slds-global-header__logo" id="org-name">${escapeHtml(org.organizationName)}${org.sandbox ? ` <span class="sandbox-badge">Sandbox: ${escapeHtml(org.myDomain.split('--')[1] ?? '')}</span>` : ''}</span>
<span class="oneUserProfileCardTrigger" id="user-name" title="${escapeHtml(user.username)}">${escapeHtml(user.name)}</span>
</header>
<nav><ul class="slds-context-bar" role="list">${tabs}</ul></nav>
<div class="oneContent active lafPageHost" data-aura-class="oneContent">
${content}
</div></div></body></html>`;
}

function display(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  return escapeHtml(String(value));
}

export function recordContent(object: ObjectDef, record: SfRecord): string {
  const items = object.fields
    .map(
      (field) =>
        `<records-record-layout-item field-label="${escapeHtml(field.label)}" data-target-selection-name="sfdc:RecordField.${object.name}.${field.name}" data-field-api-name="${field.name}">` +
        `<div class="slds-form-element slds-form-element_readonly"><span class="test-id__field-label">${escapeHtml(field.label)}</span>` +
        `<div class="slds-form-element__control"><span class="test-id__field-value slds-form-element__static">${display(record[field.name])}</span></div></div>` +
        `</records-record-layout-item>`,
    )
    .join('\n');
  return `<div class="slds-card record-header" data-record-id="${record.Id}">
<p class="entityNameTitle">${escapeHtml(object.label)}</p>
<h1 class="slds-page-header__title"><lightning-formatted-text>${display(record.Name)}</lightning-formatted-text></h1>
</div>
<div class="slds-card"><records-lwc-detail-panel><records-record-layout-block>
${items}
</records-record-layout-block></records-lwc-detail-panel></div>`;
}

export function recordMissingContent(): string {
  return `<div class="slds-card" id="record-error"><h2>Looks like there's a problem.</h2>
<p>Unfortunately, there was a problem. Please try again. If the problem continues, get in touch with your administrator with the error ID shown here and any other related details. The record you're trying to view doesn't exist or was deleted.</p></div>`;
}

export function listContent(object: ObjectDef, rows: SfRecord[], total: number): string {
  const columns = ['Name', object.name === 'Account' ? 'Phone' : 'Email', 'CreatedDate'];
  const head = columns.map((name) => `<th>${escapeHtml(name)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr data-record-id="${row.Id}"><td><a href="/lightning/r/${object.name}/${row.Id}/view">${display(row.Name)}</a></td>` +
        columns
          .slice(1)
          .map((name) => `<td>${display(row[name])}</td>`)
          .join('') +
        '</tr>',
    )
    .join('');
  return `<div class="slds-card"><h1 class="slds-page-header__title">${escapeHtml(object.labelPlural)}</h1>
<p class="list-count">${rows.length} of ${total} items</p>
<table class="slds-table"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

export function homeContent(org: Org, user: OrgUser, recent: { object: ObjectDef; row: SfRecord }[]): string {
  const links = recent
    .map(
      ({ object, row }) =>
        `<li><a href="/lightning/r/${object.name}/${row.Id}/view">${display(row.Name)}</a> <span class="type">${object.label}</span></li>`,
    )
    .join('');
  return `<div class="slds-card"><h1 class="slds-page-header__title">Welcome, ${escapeHtml(user.firstName)}</h1>
<p>${escapeHtml(org.organizationName)} · Org ID ${org.orgId}</p></div>
<div class="slds-card"><h2>Recent Records</h2><ul id="recent-records">${links}</ul></div>`;
}
