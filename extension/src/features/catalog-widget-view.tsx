import type { Integration, JobRun, ServerEvent } from '@orglink/shared';
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import type { CatalogWidgetApi } from './catalog-widget-api.ts';
import { JobHistoryTab } from './catalog-widget-history.tsx';
import { LinkAccountForm } from './catalog-widget-link-form.tsx';
import { MappingTab } from './catalog-widget-mapping.tsx';
import { describeLink, mergeRun, newestFirst } from './catalog-widget-model.ts';
import { QuickActionsTab } from './catalog-widget-quick-actions.tsx';

export type WidgetTab = 'mapping' | 'quick-actions' | 'job-history';
const TABS: { id: WidgetTab; label: string }[] = [
  { id: 'mapping', label: 'Mapping' },
  { id: 'quick-actions', label: 'Quick Actions' },
  { id: 'job-history', label: 'Job History' },
];

export type RunsState = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; runs: JobRun[] };

interface Props {
  catalogHost: string;
  integration: Integration | null;
  canEdit: boolean;
  api: CatalogWidgetApi;
  /** Server events relayed by the background; returns the way to stop listening. */
  subscribe: (listener: (event: ServerEvent) => void) => () => void;
  /** Asks the background again (after unlinking, for example). */
  onRefresh: () => void;
  /** Open the panel on this tab at once: the popup's "Edit field map" links here with #orglink-widget=mapping. */
  initialTab?: WidgetTab | undefined;
}

/** The tab named by `#orglink-widget=<tab>` in a page address, if it is one of the widget's tabs. */
export function widgetTabFromHash(hash: string): WidgetTab | undefined {
  const wanted = /^#orglink-widget=([a-z-]+)$/.exec(hash)?.[1];
  return TABS.some((candidate) => candidate.id === wanted) ? (wanted as WidgetTab) : undefined;
}

/** The status line and Widget button on the Integrations card, and the panel with its three tabs. */
export function CatalogWidget({
  catalogHost,
  integration: given,
  canEdit,
  api,
  subscribe,
  onRefresh,
  initialTab,
}: Props) {
  const [integration, setIntegration] = useState(given);
  const [open, setOpen] = useState(initialTab !== undefined);
  const [tab, setTab] = useState<WidgetTab>(initialTab ?? 'mapping');
  const [runs, setRuns] = useState<RunsState>({ state: 'loading' });
  const panelId = useId();
  const linked = integration !== null && integration.linkState !== 'not-linked';
  const integrationId = linked ? integration.id : undefined;

  useEffect(() => setIntegration(given), [given]);

  const loadRuns = useCallback(async () => {
    if (!integrationId) return;
    const result = await api.listIntegrationRuns(integrationId);
    setRuns(
      result.ok
        ? { state: 'ready', runs: newestFirst(result.data.runs) }
        : { state: 'error', message: result.error.message },
    );
  }, [api, integrationId]);

  useEffect(() => {
    setRuns({ state: 'loading' });
    void loadRuns();
  }, [loadRuns]);

  useEffect(
    () =>
      subscribe((event) => {
        if (event.type === 'run.changed' && integrationId && event.run.integrationId === integrationId) {
          const run = event.run;
          setRuns((current) =>
            current.state === 'ready' ? { state: 'ready', runs: mergeRun(current.runs, run) } : current,
          );
        } else if (event.type === 'integration.changed' && event.integration.id === integration?.id) {
          setIntegration(event.integration);
        } else if (event.type === 'integration.deleted' && event.integrationId === integration?.id) {
          onRefresh();
        }
      }),
    [subscribe, integrationId, integration?.id, onRefresh],
  );

  const link = describeLink(integration);
  return (
    <div class="ol-cw" data-testid="orglink-catalog-widget">
      <div class="ol-cw__bar">
        <span class={`ol-cw__status ol-cw__status--${link.tone}`} role="status" data-testid="orglink-link-state">
          <span class="ol-cw__icon" aria-hidden="true">
            {link.icon}
          </span>
          <span data-testid="orglink-link-text">OrgLink: {link.text}</span>
        </span>
        <button
          type="button"
          class="ol-cw__button"
          aria-expanded={open}
          aria-controls={panelId}
          data-testid="orglink-widget-button"
          onClick={() => setOpen(!open)}
        >
          Widget
        </button>
      </div>
      {integration?.problem && linked && (
        <p class="ol-cw__problem" role="alert" data-testid="orglink-integration-problem">
          {integration.problem}
        </p>
      )}
      {open && (
        <section
          id={panelId}
          class="ol-cw__panel"
          aria-label="OrgLink Catalog widget"
          data-testid="orglink-widget-panel"
        >
          {!linked || !integration ? (
            <LinkAccountForm
              catalogHost={catalogHost}
              canEdit={canEdit}
              api={api}
              onLinked={(created) => {
                setIntegration(created);
                setTab('mapping');
              }}
            />
          ) : (
            <TabbedPanel tab={tab} onTab={setTab}>
              {tab === 'mapping' && (
                <MappingTab integration={integration} canEdit={canEdit} api={api} onSaved={setIntegration} />
              )}
              {tab === 'quick-actions' && (
                <QuickActionsTab
                  integration={integration}
                  runs={runs.state === 'ready' ? runs.runs : []}
                  canEdit={canEdit}
                  api={api}
                  onEditMapping={() => setTab('mapping')}
                  onRunStarted={(run) => {
                    setRuns((current) => ({
                      state: 'ready',
                      runs: mergeRun(current.state === 'ready' ? current.runs : [], run),
                    }));
                    setTab('job-history');
                  }}
                  onUnlinked={() => {
                    setIntegration({ ...integration, linkState: 'not-linked' });
                    onRefresh();
                  }}
                />
              )}
              {tab === 'job-history' && <JobHistoryTab runs={runs} api={api} onRetry={() => void loadRuns()} />}
            </TabbedPanel>
          )}
        </section>
      )}
    </div>
  );
}

/** WAI-ARIA tabs: one tab stop, arrow keys and Home/End move between tabs, the panel follows the selection. */
function TabbedPanel({
  tab,
  onTab,
  children,
}: {
  tab: WidgetTab;
  onTab: (tab: WidgetTab) => void;
  children: ComponentChildren;
}) {
  const baseId = useId();
  const tabRefs = useRef<Partial<Record<WidgetTab, HTMLButtonElement | null>>>({});
  const move = (event: KeyboardEvent) => {
    const index = TABS.findIndex((candidate) => candidate.id === tab);
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % TABS.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + TABS.length) % TABS.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? TABS.length - 1
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    const target = TABS[next];
    if (!target) return;
    onTab(target.id);
    tabRefs.current[target.id]?.focus();
  };
  return (
    <>
      <div class="ol-cw__tabs" role="tablist" aria-label="OrgLink widget" onKeyDown={move}>
        {TABS.map(({ id, label }) => (
          <button
            key={id}
            ref={(element) => {
              tabRefs.current[id] = element;
            }}
            type="button"
            role="tab"
            id={`${baseId}-${id}`}
            aria-selected={tab === id}
            aria-controls={`${baseId}-panel`}
            tabIndex={tab === id ? 0 : -1}
            class="ol-cw__tab"
            data-testid={`orglink-tab-${id}`}
            onClick={() => onTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${baseId}-panel`}
        aria-labelledby={`${baseId}-${tab}`}
        class="ol-cw__tabpanel"
        data-testid={`orglink-panel-${tab}`}
      >
        {children}
      </div>
    </>
  );
}
