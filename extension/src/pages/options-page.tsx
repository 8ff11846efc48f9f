import { useState } from 'preact/hooks';
import { CatalogDomainsSection } from './options/catalog-domains-section.tsx';
import { ServerUrlSection } from './options/server-url-section.tsx';
import { TeamSection } from './options/team-section.tsx';

/** Settings: where the OrgLink server is, and who you are on it. */
export function OptionsPage() {
  // Saved server addresses, in order: each one makes the team section ask the (new) server who we are.
  const [savedServerUrl, setSavedServerUrl] = useState<string>();
  return (
    <main class="options">
      <header class="ol-page__header">
        <h1>OrgLink settings</h1>
        <nav class="ol-toolbar">
          <a href="/connections.html" data-testid="connections-link">
            Connections
          </a>
          <a href="/activities.html" data-testid="activities-link">
            Activities
          </a>
        </nav>
      </header>
      <ServerUrlSection onSaved={setSavedServerUrl} />
      <TeamSection serverUrl={savedServerUrl} />
      <CatalogDomainsSection />
    </main>
  );
}
