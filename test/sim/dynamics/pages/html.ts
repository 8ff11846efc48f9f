import { type AttributeSpec, type EntitySpec, isLookup } from '../dataverse/entities.ts';
import type { DataverseEnvironment } from '../dataverse/environment.ts';
import { formattedValue } from '../dataverse/format.ts';
import type { Row } from '../dataverse/store.ts';
import { escapeHtml } from '../http.ts';

export interface PageUser {
  systemUserId: string;
  displayName: string;
}

const APP_NAME = 'Sales Hub';

const STYLE = `body{margin:0;font-family:"Segoe UI",sans-serif;background:#faf9f8}
#topBar{background:#002050;color:#fff;padding:10px 16px;display:flex;gap:16px}
#mainContent{padding:16px}.field{display:flex;gap:8px;margin:6px 0}.field label{width:220px;color:#605e5c}
[role=grid]{display:table;border-collapse:collapse}[role=row]{display:table-row}[role=gridcell],[role=columnheader]{display:table-cell;padding:4px 12px;border-bottom:1px solid #edebe9}`;

/**
 * The global Xrm object of a model-driven app, reduced to the calls extensions read (getGlobalContext and the form's
 * entity). It lives in the page's own (MAIN) world, so an isolated-world content script cannot see it, as in reality.
 */
function xrmScript(
  environment: DataverseEnvironment,
  user: PageUser,
  record: { entity: string; id: string } | undefined,
): string {
  const info = environment.info;
  const context = {
    clientUrl: '',
    version: info.version,
    organizationSettings: {
      organizationId: info.organizationId,
      uniqueName: info.uniqueName,
      languageId: 1033,
      isTrialOrganization: info.organizationType !== 0,
      organizationGeo: info.region,
    },
    userSettings: { userId: `{${user.systemUserId.toUpperCase()}}`, userName: user.displayName, languageId: 1033 },
    appId: info.appModuleId,
  };
  const entity = record ? { entityName: record.entity, id: `{${record.id.toUpperCase()}}` } : null;
  return `<script>(function(){var c=${JSON.stringify(context)};var e=${JSON.stringify(entity)};
var ctx={getClientUrl:function(){return location.origin;},getVersion:function(){return c.version;},
organizationSettings:c.organizationSettings,userSettings:c.userSettings,
getCurrentAppUrl:function(){return location.origin+'/main.aspx?appid='+c.appId;},
getCurrentAppName:function(){return Promise.resolve(${JSON.stringify(APP_NAME)});}};
window.Xrm={Utility:{getGlobalContext:function(){return ctx;}},
Page:{data:e?{entity:{getEntityName:function(){return e.entityName;},getId:function(){return e.id;}}}:null}};})();</script>`;
}

function shell(
  environment: DataverseEnvironment,
  user: PageUser,
  title: string,
  content: string,
  record?: { entity: string; id: string },
): string {
  const info = environment.info;
  return `<!DOCTYPE html>
<html lang="en" dir="ltr"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style>
${xrmScript(environment, user, record)}</head>
<body><div id="ApplicationShell" data-id="ApplicationShell">
<header id="topBar" data-id="navbar-container" role="banner">
<span data-id="appBreadCrumb" title="${APP_NAME}">${APP_NAME}</span>
<span data-id="orgName" data-org-id="${info.organizationId}" data-org-unique-name="${escapeHtml(info.uniqueName)}">${escapeHtml(info.friendlyName)}</span>
<span data-id="userInformationLauncher" title="${escapeHtml(user.displayName)}">${escapeHtml(user.displayName)}</span>
</header>
<nav data-id="sitemap-body" aria-label="Site Map">${['contact', 'lead', 'account']
    .map(
      (name) =>
        `<a data-id="sitemap-entity-${name}" href="/main.aspx?appid=${info.appModuleId}&amp;pagetype=entitylist&amp;etn=${name}">${name[0]?.toUpperCase()}${name.slice(1)}s</a>`,
    )
    .join(' ')}</nav>
<div id="mainContent" role="main">${content}</div>
</div></body></html>`;
}

function cellText(environment: DataverseEnvironment, attribute: AttributeSpec, row: Row): string {
  const formatted = formattedValue(attribute, row, environment.store);
  if (formatted !== undefined) return formatted;
  const value = row[attribute.logicalName];
  return value === null || value === undefined || typeof value === 'object' ? '' : String(value);
}

function recordUrl(environment: DataverseEnvironment, entity: EntitySpec, id: string): string {
  return `/main.aspx?appid=${environment.info.appModuleId}&pagetype=entityrecord&etn=${entity.logicalName}&id=${id}`;
}

const HIDDEN_ON_FORM = new Set(['createdby', 'modifiedby', 'versionnumber']);

export function recordPage(
  environment: DataverseEnvironment,
  user: PageUser,
  entity: EntitySpec,
  row: Row | undefined,
  id: string,
): string {
  if (!row) {
    const dialog = `<div role="dialog" data-id="errorDialogdialog" aria-label="Record Is Unavailable">
<h1 data-id="errorDialog_subtitle">Record Is Unavailable</h1>
<p data-id="errorDialog_message">The requested record was not found or you do not have sufficient permissions to view it.</p></div>`;
    return shell(environment, user, `${entity.displayName}: ${id} - Dynamics 365`, dialog, {
      entity: entity.logicalName,
      id,
    });
  }
  const name =
    cellText(environment, entity.attributes.find((a) => a.isPrimaryName) as AttributeSpec, row) || '(No Name)';
  const fields = entity.attributes
    .filter((attribute) => !attribute.isPrimaryId && !HIDDEN_ON_FORM.has(attribute.logicalName))
    .map((attribute) => {
      const text = cellText(environment, attribute, row);
      const control = isLookup(attribute)
        ? `<div data-id="${attribute.logicalName}.fieldControl-LookupResultsDropdown_${attribute.logicalName}_selected_tag_text" aria-label="${escapeHtml(attribute.displayName)}">${escapeHtml(text)}</div>`
        : `<input data-id="${attribute.logicalName}.fieldControl-text-box-text" aria-label="${escapeHtml(attribute.displayName)}" value="${escapeHtml(text)}" readonly>`;
      return `<div class="field" data-id="${attribute.logicalName}" data-control-name="${attribute.logicalName}"><label id="id-${attribute.logicalName}-label">${escapeHtml(attribute.displayName)}</label>${control}</div>`;
    })
    .join('\n');
  const id_ = String(row[entity.primaryIdAttribute]);
  const content = `<div data-id="form-header" data-entity="${entity.logicalName}" data-record-id="${id_}">
<h1 data-id="header_title" title="${escapeHtml(name)}">${escapeHtml(name)}</h1>
<div data-id="header_entityName">${escapeHtml(entity.displayName)}</div>
<div data-id="form-selector">Information</div></div>
<div role="tablist" data-id="tablist-SUMMARY_TAB"><span role="tab" aria-selected="true" data-id="tablist-SUMMARY_TAB">Summary</span></div>
<section data-id="form-section" aria-label="${escapeHtml(entity.displayName)} Information">
${fields}
</section>`;
  return shell(environment, user, `${entity.displayName}: Information: ${name} - Dynamics 365`, content, {
    entity: entity.logicalName,
    id: id_,
  });
}

export function listPage(environment: DataverseEnvironment, user: PageUser, entity: EntitySpec): string {
  const columns = entity.viewColumns
    .map((name) => entity.attributes.find((attribute) => attribute.logicalName === name))
    .filter((attribute): attribute is AttributeSpec => attribute !== undefined);
  const nameAttribute = entity.attributes.find((attribute) => attribute.isPrimaryName) as AttributeSpec;
  const rows = environment.store
    .rows(entity.logicalName)
    .filter((row) => row.statecode === 0 || row.statecode === undefined)
    .sort((a, b) => cellText(environment, nameAttribute, a).localeCompare(cellText(environment, nameAttribute, b)))
    .slice(0, 50);
  const viewName = `Active ${entity.displayCollectionName}`;
  const header = columns
    .map((column) => `<div role="columnheader" col-id="${column.logicalName}">${escapeHtml(column.displayName)}</div>`)
    .join('');
  const body = rows
    .map((row, index) => {
      const id = String(row[entity.primaryIdAttribute]);
      const cells = columns
        .map((column) => {
          const text = escapeHtml(cellText(environment, column, row));
          const content =
            column === nameAttribute ? `<a href="${recordUrl(environment, entity, id)}">${text}</a>` : text;
          return `<div role="gridcell" col-id="${column.logicalName}">${content}</div>`;
        })
        .join('');
      return `<div role="row" class="ag-row" row-index="${index}" row-id="${id}" aria-rowindex="${index + 2}">${cells}</div>`;
    })
    .join('\n');
  const content = `<div data-id="ViewSelector" title="${escapeHtml(viewName)}"><h1 data-id="ViewSelector_title">${escapeHtml(viewName)}</h1></div>
<div data-id="grid-container" data-entity="${entity.logicalName}">
<div role="grid" aria-label="${escapeHtml(viewName)}" aria-rowcount="${rows.length + 1}" data-id="data-set-body-container">
<div role="row" class="ag-header-row" aria-rowindex="1">${header}</div>
${body}
</div></div>`;
  return shell(environment, user, `${viewName} - Dynamics 365`, content);
}

export function dashboardPage(environment: DataverseEnvironment, user: PageUser): string {
  const content = `<div data-id="dashboard-header"><h1 data-id="dashboard_title">Sales Activity Social Dashboard</h1></div>
<ul data-id="dashboard-tiles">${['contact', 'lead', 'account']
    .map((name) => `<li data-id="tile-${name}">${name}: ${environment.store.count(name)}</li>`)
    .join('')}</ul>`;
  return shell(environment, user, 'Dashboards - Dynamics 365', content);
}

export function accessDeniedPage(upn: string, environment: DataverseEnvironment): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Dynamics 365</title></head>
<body><div id="mainContent" role="main"><div role="dialog" data-id="errorDialogdialog" aria-label="Access denied">
<h1 data-id="errorDialog_subtitle">You don't have access to this environment</h1>
<p data-id="errorDialog_message">The user ${escapeHtml(upn)} is not a member of the organization ${escapeHtml(environment.info.uniqueName)}. Ask your administrator to add you.</p>
</div></div></body></html>`;
}
