import { ConnectionsWorkspace } from './connections/connections-workspace.tsx';
import { SignedInPage } from './signed-in-page.tsx';

/** The Connections extension page: who is signed in, then the team's connections, or the way to sign in. */
export function ConnectionsPage() {
  return (
    <SignedInPage
      title="Connections"
      signedOutTitle="Sign in to see your team's connections"
      links={[
        { href: '/activities.html', label: 'Activities', testId: 'activities-link' },
        { href: '/options.html', label: 'Settings', testId: 'settings-link' },
      ]}
    >
      {(me, onSignedOut) => <ConnectionsWorkspace me={me} onSignedOut={onSignedOut} />}
    </SignedInPage>
  );
}
