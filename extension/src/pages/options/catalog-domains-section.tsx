import { useEffect, useState } from 'preact/hooks';
import { addCustomDomain, type CustomDomain, listCustomDomains, removeCustomDomain } from './catalog-domains.ts';

type Feedback = { kind: 'error' | 'saved'; message: string } | undefined;

/**
 * Custom Catalog domains: the widget runs on *.catalog.instructure.com and *.catalog.canvaslms.com by itself; a
 * Catalog on its own domain is added here, which asks the browser for access to that one domain.
 */
export function CatalogDomainsSection() {
  const [domains, setDomains] = useState<CustomDomain[]>();
  const [loadError, setLoadError] = useState<string>();
  const [input, setInput] = useState('');
  const [feedback, setFeedback] = useState<Feedback>();
  const [busy, setBusy] = useState(false);

  const load = () =>
    listCustomDomains().then(
      (list) => {
        setDomains(list);
        setLoadError(undefined);
      },
      (error: unknown) => setLoadError(`Could not read the custom domains: ${String(error)}`),
    );
  useEffect(() => void load(), []);

  async function save(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    // No await before this call: the browser only shows its permission prompt inside the click's user gesture.
    const result = await addCustomDomain(input).catch((error: unknown) => ({
      added: false as const,
      message: `Could not add the domain: ${String(error)}`,
    }));
    setBusy(false);
    if (!result.added) {
      setFeedback({ kind: 'error', message: result.message });
      return;
    }
    setInput('');
    setFeedback({ kind: 'saved', message: `Saved. OrgLink's widget now shows on ${result.domain}: reload its tabs.` });
    await load();
  }

  async function remove(domain: string) {
    await removeCustomDomain(domain).catch(() => undefined);
    setFeedback({ kind: 'saved', message: `Removed ${domain}.` });
    await load();
  }

  const invalid = feedback?.kind === 'error';
  return (
    <section class="options__section" aria-labelledby="catalog-domains-title" data-testid="catalog-domains">
      <h2 id="catalog-domains-title">Custom Catalog domains</h2>
      <p class="ol-notice" id="catalog-domain-help">
        OrgLink works on *.catalog.instructure.com and *.catalog.canvaslms.com. If your Catalog runs on its own domain,
        add it here: the browser asks you to allow access to that domain only.
      </p>
      <form onSubmit={save} noValidate>
        <label for="catalog-domain">Catalog domain</label>
        <div class="options__row">
          <input
            id="catalog-domain"
            type="text"
            inputMode="url"
            spellcheck={false}
            placeholder="learn.example.edu"
            value={input}
            aria-invalid={invalid}
            aria-describedby="catalog-domain-help catalog-domain-feedback"
            onInput={(event) => setInput(event.currentTarget.value)}
          />
          <button type="submit" disabled={busy} data-testid="catalog-domain-save">
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
        <p
          id="catalog-domain-feedback"
          class={invalid ? 'ol-error' : 'ol-notice'}
          role={invalid ? 'alert' : 'status'}
          data-testid="catalog-domain-feedback"
        >
          {feedback?.message}
        </p>
      </form>
      {loadError && (
        <p class="ol-error" role="alert">
          {loadError}
        </p>
      )}
      {domains && domains.length === 0 && <p class="ol-notice">No custom domains yet.</p>}
      {domains && domains.length > 0 && (
        <ul class="options__list" data-testid="catalog-domain-list">
          {domains.map(({ domain, granted }) => (
            <li key={domain}>
              <span>{domain}</span>{' '}
              {!granted && (
                <span class="ol-error">
                  Access was withdrawn in the browser's settings: remove it and add it again.
                </span>
              )}{' '}
              <button type="button" aria-label={`Remove ${domain}`} onClick={() => void remove(domain)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
