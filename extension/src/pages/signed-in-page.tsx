import type { Me } from '@orglink/shared';
import type { ComponentChildren } from 'preact';
import { useCallback } from 'preact/hooks';
import { EmptyState, ErrorState, LoadingRows } from '../ui/states.tsx';
import { useSession } from './use-session.ts';

interface PageLink {
  href: string;
  label: string;
  testId: string;
}

interface Props {
  title: string;
  links: PageLink[];
  /** What the page offers, said to someone not signed in (e.g. "Sign in to run activities"). */
  signedOutTitle: string;
  children: (me: Me, onSignedOut: (reason: string) => void) => ComponentChildren;
}

/**
 * The frame of an extension page that needs the team: who is signed in, the links to the other pages, and the
 * loading, unavailable and signed-out states; the page's own content once signed in.
 */
export function SignedInPage({ title, links, signedOutTitle, children }: Props) {
  const [session, refreshSession, setSession] = useSession();
  const signedOut = useCallback(
    (reason: string) =>
      setSession({ state: 'signed-out', serverUrl: session.state === 'signed-in' ? session.serverUrl : '', reason }),
    [session, setSession],
  );

  return (
    <main class="ol-page">
      <header class="ol-page__header">
        <div>
          <h1>{title}</h1>
          {session.state === 'signed-in' && (
            <p class="ol-notice" data-testid="signed-in-as">
              {session.me.team.name} · signed in as {session.me.user.displayName} ({session.me.role})
            </p>
          )}
        </div>
        <nav class="ol-toolbar">
          {links.map((link) => (
            <a key={link.href} href={link.href} data-testid={link.testId}>
              {link.label}
            </a>
          ))}
        </nav>
      </header>
      {session.state === 'signed-in' && session.problem && (
        <p class="ol-callout ol-callout--warn" role="status">
          {session.problem}
        </p>
      )}
      {session.state === 'loading' && <LoadingRows label="Checking your sign-in…" />}
      {session.state === 'unavailable' && (
        <ErrorState title="OrgLink is not ready" message={session.problem} onRetry={() => void refreshSession()} />
      )}
      {session.state === 'signed-out' && (
        <EmptyState title={signedOutTitle} testId="signed-out">
          {session.reason && <p class="ol-notice">{session.reason}</p>}
          <p>
            Join your team with an invite code in <a href="/options.html">Settings</a>. The person who set up OrgLink
            can create one (npm run invite).
          </p>
        </EmptyState>
      )}
      {session.state === 'signed-in' && children(session.me, signedOut)}
    </main>
  );
}
