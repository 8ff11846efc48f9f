// @vitest-environment happy-dom
import type { Integration, ServerEvent } from '@orglink/shared';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { failed, succeeded } from '../api/api-result.ts';
import { sampleConnection } from '../api/test-fixtures.ts';
import type { CatalogWidgetApi } from './catalog-widget-api.ts';
import { sampleIntegration, sampleMappingOptions, sampleRun } from './catalog-widget-fixtures.ts';
import { CatalogWidget } from './catalog-widget-view.tsx';

let container: HTMLElement;
let listeners: Set<(event: ServerEvent) => void>;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  listeners = new Set();
});
afterEach(() => {
  render(null, container);
  container.remove();
});

function fakeApi(overrides: Partial<CatalogWidgetApi> = {}): CatalogWidgetApi {
  return {
    listConnections: vi.fn(async () => succeeded({ connections: [sampleConnection()] })),
    authorizeConnection: vi.fn(async () => succeeded({ windowId: 7 })),
    createIntegration: vi.fn(async () => succeeded(sampleIntegration())),
    updateIntegration: vi.fn(async () => succeeded(sampleIntegration())),
    unlinkIntegration: vi.fn(async () => succeeded(null)),
    getMappingOptions: vi.fn(async ({ target }) => succeeded(sampleMappingOptions(target))),
    runIntegration: vi.fn(async () => succeeded(sampleRun({ id: 'run-new', status: 'queued', finishedAt: null }))),
    listIntegrationRuns: vi.fn(async () => succeeded({ runs: [], nextCursor: null })),
    downloadRunErrors: vi.fn(async () => succeeded({ filename: 'e.csv', text: 'a,b\r\n' })),
    ...overrides,
  };
}

/** Lets pending promises (the fake API's answers) settle and Preact re-render. */
async function settle() {
  for (let i = 0; i < 5; i++) await act(async () => await new Promise((resolve) => setTimeout(resolve, 0)));
}

async function show(integration: Integration | null, api = fakeApi(), canEdit = true) {
  act(() => {
    render(
      <CatalogWidget
        catalogHost="acme.catalog.instructure.com"
        integration={integration}
        canEdit={canEdit}
        api={api}
        subscribe={(listener) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        }}
        onRefresh={() => undefined}
      />,
      container,
    );
  });
  await settle();
  return api;
}

const $ = <E extends Element = HTMLElement>(testId: string) => container.querySelector<E>(`[data-testid=${testId}]`);
const $$ = (testId: string) => [...container.querySelectorAll(`[data-testid=${testId}]`)];
async function click(testId: string) {
  act(() => $(testId)?.click());
  await settle();
}
function type(element: HTMLInputElement | null, value: string) {
  if (!element) throw new Error('no input');
  act(() => {
    element.value = value;
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('Catalog widget status line', () => {
  it.each([
    [null, 'OrgLink: Not linked', 'neutral'],
    [sampleIntegration({ linkState: 'not-linked' }), 'OrgLink: Not linked', 'neutral'],
    [sampleIntegration(), 'OrgLink: Linked to Acme Production (Contact)', 'ok'],
    [
      sampleIntegration({ linkState: 'connection-inactive' }),
      'OrgLink: Connection inactive (Acme Production)',
      'error',
    ],
  ])('shows %#: %s', async (integration, text, tone) => {
    await show(integration);
    expect($('orglink-link-text')?.textContent).toBe(text);
    expect($('orglink-link-state')?.className).toContain(`ol-cw__status--${tone}`);
    expect($('orglink-widget-button')?.getAttribute('aria-expanded')).toBe('false');
  });

  it('renders server values as text, never HTML, and shows the integration problem', async () => {
    await show(
      sampleIntegration({ connectionName: '<img src=x onerror=alert(1)>', problem: 'Catalog API token rejected' }),
    );
    expect(container.querySelector('img')).toBeNull();
    expect($('orglink-link-text')?.textContent).toContain('<img src=x onerror=alert(1)>');
    expect($('orglink-integration-problem')?.textContent).toBe('Catalog API token rejected');
  });
});

describe('linking', () => {
  it('offers the link form when not linked, refuses an empty token, then links and opens the Mapping tab', async () => {
    const api = await show(null);
    await click('orglink-widget-button');
    expect($('orglink-link-form')).not.toBeNull();
    await click('orglink-link-submit');
    expect($('orglink-link-token-error')?.textContent).toContain('Paste the Catalog API token');
    expect(api.createIntegration).not.toHaveBeenCalled();

    type($('orglink-link-token'), ' 0123456789abcdef ');
    act(() => $<HTMLFormElement>('orglink-link-form')?.requestSubmit());
    await settle();
    expect(api.createIntegration).toHaveBeenCalledWith({
      connectionId: sampleConnection().id,
      catalogHost: 'acme.catalog.instructure.com',
      catalogToken: '0123456789abcdef',
    });
    expect($('orglink-link-text')?.textContent).toBe('OrgLink: Linked to Acme Production (Contact)');
    expect($('orglink-tab-mapping')?.getAttribute('aria-selected')).toBe('true');
    expect($('orglink-mapping-form')).not.toBeNull();
  });

  it("shows the server's refusal of the token under the token field", async () => {
    const api = fakeApi({
      createIntegration: vi.fn(async () => failed(400, 'CATALOG_TOKEN_REJECTED', 'Catalog API token rejected.')),
    });
    await show(null, api);
    await click('orglink-widget-button');
    type($('orglink-link-token'), '0123456789abcdef');
    act(() => $<HTMLFormElement>('orglink-link-form')?.requestSubmit());
    await settle();
    expect($('orglink-link-token-error')?.textContent).toBe('Catalog API token rejected.');
  });

  it('says how to get a connection when the team has none', async () => {
    await show(null, fakeApi({ listConnections: vi.fn(async () => succeeded({ connections: [] })) }));
    await click('orglink-widget-button');
    expect($('orglink-link-no-connections')?.textContent).toContain('no Salesforce or Dynamics 365 connection');
  });
});

describe('Mapping tab', () => {
  it('pre-fills and marks the mandatory fields, and switching to Lead adds Company', async () => {
    await show(sampleIntegration());
    await click('orglink-widget-button');
    expect($$('orglink-mapping-row').map((row) => row.getAttribute('data-target'))).toEqual([
      'FirstName',
      'LastName',
      'Email',
    ]);
    expect($$('orglink-mandatory')).toHaveLength(3);
    const table = $<HTMLSelectElement>('orglink-mapping-table');
    act(() => {
      if (!table) return;
      table.value = 'Lead';
      table.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect($$('orglink-mapping-row').map((row) => row.getAttribute('data-target'))).toContain('Company');
    expect($$('orglink-mandatory')).toHaveLength(4);
  });

  it('validates inline before saving, then shows the server 400 on the row it names', async () => {
    const api = fakeApi({
      updateIntegration: vi.fn(async () =>
        failed(400, 'FIELD_NOT_WRITABLE', 'Title cannot be written on Contact: choose another field.'),
      ),
    });
    await show(sampleIntegration(), api);
    await click('orglink-widget-button');
    await click('orglink-mapping-add');
    await click('orglink-mapping-save');
    expect($('orglink-row-error')?.textContent).toBe('Choose the CRM field to fill.');
    expect(api.updateIntegration).not.toHaveBeenCalled();

    // The searchable picker: type, then Enter picks the first match.
    const pickers = container.querySelectorAll<HTMLInputElement>('[data-testid=orglink-field-picker]');
    const picker = pickers[pickers.length - 1] ?? null;
    type(picker, 'titl');
    expect(container.querySelectorAll('[role=option]')).toHaveLength(1);
    act(() => {
      picker?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    const sources = container.querySelectorAll<HTMLSelectElement>('[data-testid=orglink-mapping-source]');
    const source = sources[sources.length - 1];
    act(() => {
      if (!source) return;
      source.value = 'custom_fields.phone';
      source.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await click('orglink-mapping-save');
    expect(api.updateIntegration).toHaveBeenCalledWith({
      id: 'int-1',
      patch: {
        target: 'Contact',
        matchKey: 'external-id',
        externalIdField: 'Catalog_User_Id__c',
        fieldMap: [
          { target: 'FirstName', source: 'first_name' },
          { target: 'LastName', source: 'last_name' },
          { target: 'Email', source: 'email_address' },
          { target: 'Title', source: 'custom_fields.phone' },
        ],
      },
    });
    expect($('orglink-mapping-form-error')?.textContent).toContain('Title cannot be written');
    const titleRow = container.querySelector('[data-target=Title]');
    expect(titleRow?.querySelector('[data-testid=orglink-row-error]')?.textContent).toContain(
      'Title cannot be written',
    );
  });

  it('shows the designed error state when the fields cannot be read', async () => {
    await show(
      sampleIntegration(),
      fakeApi({ getMappingOptions: vi.fn(async () => failed(503, 'CRM_UNAVAILABLE', 'Salesforce did not answer.')) }),
    );
    await click('orglink-widget-button');
    expect($('orglink-mapping-error')?.textContent).toContain('Salesforce did not answer.');
  });
});

describe('Quick Actions and Job History', () => {
  it('disables Run Write Job with the reason while a run is going, and follows it live', async () => {
    const running = sampleRun({
      status: 'running',
      finishedAt: null,
      counts: { total: 300, processed: 120, created: 100, updated: 10, unchanged: 10, deleted: 0, failed: 0 },
      rate: 42,
    });
    const api = fakeApi({ listIntegrationRuns: vi.fn(async () => succeeded({ runs: [running], nextCursor: null })) });
    await show(sampleIntegration(), api);
    await click('orglink-widget-button');
    await click('orglink-tab-quick-actions');
    expect($('orglink-run-write-job')?.getAttribute('aria-disabled')).toBe('true');
    expect($('orglink-run-blocked')?.textContent).toContain('already running');
    await click('orglink-run-write-job');
    expect(api.runIntegration).not.toHaveBeenCalled();

    await click('orglink-tab-job-history');
    expect($('orglink-run-progress-text')?.textContent).toBe('120 / 300 · 42 records/s');
    expect(container.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')).toBe('120');

    const finished = sampleRun({
      counts: { total: 300, processed: 300, created: 280, updated: 10, unchanged: 5, deleted: 0, failed: 5 },
    });
    act(() => {
      for (const listener of listeners) listener({ type: 'run.changed', run: finished });
    });
    expect($('orglink-run-progress')).toBeNull();
    expect($('orglink-run-counts')?.textContent).toBe('280 created · 10 updated · 5 unchanged · 5 failed · 1 min 5 s');
    await click('orglink-errors-csv');
    expect(api.downloadRunErrors).toHaveBeenCalledWith('run-1');
  });

  it('runs the write job and shows it at the top of the history', async () => {
    const api = fakeApi({
      listIntegrationRuns: vi.fn(async () => succeeded({ runs: [sampleRun()], nextCursor: null })),
    });
    await show(sampleIntegration(), api);
    await click('orglink-widget-button');
    await click('orglink-tab-quick-actions');
    await click('orglink-run-write-job');
    expect(api.runIntegration).toHaveBeenCalledWith('int-1');
    expect($('orglink-tab-job-history')?.getAttribute('aria-selected')).toBe('true');
    expect($$('orglink-run').map((run) => run.getAttribute('data-run-id'))).toEqual(['run-new', 'run-1']);
    expect($$('orglink-chart-bar')).toHaveLength(2);
  });

  it('asks before unlinking, and reconnects through the CRM sign-in', async () => {
    const api = await show(sampleIntegration());
    await click('orglink-widget-button');
    await click('orglink-tab-quick-actions');
    await click('orglink-reconnect');
    expect(api.authorizeConnection).toHaveBeenCalledWith(sampleIntegration().connectionId);
    await click('orglink-unlink');
    expect($('orglink-unlink-confirm')?.textContent).toContain('job history is kept');
    expect(api.unlinkIntegration).not.toHaveBeenCalled();
    await click('orglink-unlink-confirm-button');
    expect(api.unlinkIntegration).toHaveBeenCalledWith('int-1');
    expect($('orglink-link-text')?.textContent).toBe('OrgLink: Not linked');
  });

  it('tells viewers why they cannot run, and shows the empty history', async () => {
    await show(sampleIntegration(), fakeApi(), false);
    await click('orglink-widget-button');
    await click('orglink-tab-quick-actions');
    expect($('orglink-run-blocked')?.textContent).toContain('Viewers cannot run write jobs');
    await click('orglink-tab-job-history');
    expect($('orglink-history-empty')?.textContent).toContain('No write jobs yet');
  });

  it('moves between tabs with the arrow keys', async () => {
    await show(sampleIntegration());
    await click('orglink-widget-button');
    act(() => {
      $('orglink-tab-mapping')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
    });
    await settle();
    expect($('orglink-tab-job-history')?.getAttribute('aria-selected')).toBe('true');
  });
});
