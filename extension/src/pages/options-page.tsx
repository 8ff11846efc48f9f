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
      <h1>OrgLink settings</h1>
      <ServerUrlSection onSaved={setSavedServerUrl} />
      <TeamSection serverUrl={savedServerUrl} />
      <CatalogDomainsSection />
    </main>
  );
}
