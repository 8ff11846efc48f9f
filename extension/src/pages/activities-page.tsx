import { ActivitiesWorkspace } from './activities/activities-workspace.tsx';
import { SignedInPage } from './signed-in-page.tsx';

/** The Activities extension page: Query, Insert, Update, Upsert, Delete and the bulk variants against a connection. */
export function ActivitiesPage() {
  return (
    <SignedInPage
      title="Activities"
      signedOutTitle="Sign in to run activities"
      links={[
        { href: '/connections.html', label: 'Connections', testId: 'connections-link' },
        { href: '/options.html', label: 'Settings', testId: 'settings-link' },
      ]}
    >
      {(me, onSignedOut) => <ActivitiesWorkspace me={me} onSignedOut={onSignedOut} />}
    </SignedInPage>
  );
}
