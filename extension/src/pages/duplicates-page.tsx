import { runIdFromSearch } from './duplicates/dc-format.ts';
import { DuplicatesResults } from './duplicates/duplicates-results.tsx';
import { SignedInPage } from './signed-in-page.tsx';

/** The results page of a Duplicate Check run: duplicates.html?run=<runId>. */
export function DuplicatesPage() {
  const runId = runIdFromSearch(location.search);
  return (
    <SignedInPage
      title="Duplicate Check results"
      signedOutTitle="Sign in to review duplicates"
      links={[
        { href: '/connections.html', label: 'Connections', testId: 'connections-link' },
        { href: '/options.html', label: 'Settings', testId: 'settings-link' },
      ]}
    >
      {(me, onSignedOut) => <DuplicatesResults runId={runId} me={me} onSignedOut={onSignedOut} />}
    </SignedInPage>
  );
}
