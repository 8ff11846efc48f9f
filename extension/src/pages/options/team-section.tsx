import type { Me, Role } from '@orglink/shared';
import { useEffect, useRef, useState } from 'preact/hooks';
import { parseDisplayName, parseInviteCode } from '../../api/invite-input.ts';
import { sendMessage } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { askBackground } from '../ask-background.ts';
import { useSession } from '../use-session.ts';

const ROLE_MEANING: Record<Role, string> = {
  owner: 'you own the team and can change everything in it',
  admin: 'you can create and change connections and jobs',
  viewer: 'you can see everything, but not change it',
};

/**
 * Joining the team with an invite, then who you are in it, and signing out. `serverUrl` changes when the address
 * above is saved: a sign-in belongs to one server, so the section asks again.
 */
export function TeamSection({ serverUrl }: { serverUrl: string | undefined }) {
  const [session, refresh, setSession] = useSession();
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    if (serverUrl !== undefined) void refresh();
  }, [serverUrl, refresh]);

  return (
    <section class="options__section" aria-labelledby="team-title" data-testid="team-section">
      <h2 id="team-title">{session.state === 'signed-in' ? 'Your team' : 'Join your team'}</h2>
      {session.state === 'loading' && (
        <p class="ol-notice" role="status">
          Checking your sign-in…
        </p>
      )}
      {session.state === 'unavailable' && (
        <p class="ol-error" role="alert">
          {session.problem}
        </p>
      )}
      {session.state === 'signed-out' && (
        <RedeemInviteForm
          notice={notice ?? session.reason}
          onRedeemed={(me) => {
            setNotice(undefined);
            setSession({ state: 'signed-in', serverUrl: session.serverUrl, me });
          }}
        />
      )}
      {session.state === 'signed-in' && (
        <WhoAmI
          me={session.me}
          problem={session.problem}
          onSignedOut={(message) => {
            setNotice(message);
            setSession({ state: 'signed-out', serverUrl: session.serverUrl });
          }}
        />
      )}
    </section>
  );
}

function RedeemInviteForm({ notice, onRedeemed }: { notice: string | undefined; onRedeemed: (me: Me) => void }) {
  const [code, setCode] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [errors, setErrors] = useState<{ code?: string; displayName?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);

  async function redeem(event: Event) {
    event.preventDefault();
    if (busy) return;
    const parsedCode = parseInviteCode(code);
    const parsedName = parseDisplayName(displayName);
    if (!parsedCode.ok || !parsedName.ok) {
      setErrors({
        ...(parsedCode.ok ? {} : { code: parsedCode.message }),
        ...(parsedName.ok ? {} : { displayName: parsedName.message }),
      });
      (parsedCode.ok ? nameInput : codeInput).current?.focus();
      return;
    }
    setBusy(true);
    setErrors({});
    const result = await askBackground(() =>
      sendMessage('redeemInvite', { code: parsedCode.value, displayName: parsedName.value }),
    );
    setBusy(false);
    if (!result.ok) {
      // Used, expired or unknown codes (410, 404) are about the code: the server's words go under it.
      const aboutCode = result.status === 404 || result.status === 410 || result.error.code.startsWith('INVITE');
      setErrors(aboutCode ? { code: result.error.message } : { form: result.error.message });
      if (aboutCode) codeInput.current?.focus();
      return;
    }
    onRedeemed(result.data);
  }

  return (
    <form class="ol-form" onSubmit={redeem} noValidate data-testid="redeem-form">
      {notice && (
        <p class="ol-notice" role="status" data-testid="team-notice">
          {notice}
        </p>
      )}
      <p class="ol-notice">
        Paste the invite code a team owner or admin gave you. The first one is printed by <code>npm start</code>; more
        come from <code>npm run invite</code>.
      </p>
      <div class="ol-field">
        <label for="invite-code">Invite code</label>
        <input
          id="invite-code"
          ref={codeInput}
          type="text"
          spellcheck={false}
          autoComplete="off"
          placeholder="olinv_…"
          value={code}
          aria-invalid={errors.code ? 'true' : undefined}
          aria-describedby={errors.code ? 'invite-code-error' : undefined}
          onInput={(event) => setCode(event.currentTarget.value)}
        />
        {errors.code && (
          <p class="ol-error" id="invite-code-error" role="alert" data-testid="invite-code-error">
            {errors.code}
          </p>
        )}
      </div>
      <div class="ol-field">
        <label for="display-name">Your name</label>
        <input
          id="display-name"
          ref={nameInput}
          type="text"
          autoComplete="name"
          maxLength={80}
          value={displayName}
          aria-invalid={errors.displayName ? 'true' : undefined}
          aria-describedby={errors.displayName ? 'display-name-error' : 'display-name-hint'}
          onInput={(event) => setDisplayName(event.currentTarget.value)}
        />
        <p class="ol-hint" id="display-name-hint">
          As your teammates will see it, for example in "created by".
        </p>
        {errors.displayName && (
          <p class="ol-error" id="display-name-error" role="alert" data-testid="display-name-error">
            {errors.displayName}
          </p>
        )}
      </div>
      {errors.form && (
        <p class="ol-error" role="alert" data-testid="redeem-error">
          {errors.form}
        </p>
      )}
      <div class="ol-form__actions">
        <ActionButton type="submit" variant="primary" busy={busy} busyLabel="Joining…" testId="redeem-invite">
          Join team
        </ActionButton>
      </div>
    </form>
  );
}

function WhoAmI({
  me,
  problem,
  onSignedOut,
}: {
  me: Me;
  problem: string | undefined;
  onSignedOut: (message: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function signOut() {
    setBusy(true);
    setError(undefined);
    try {
      const result = await sendMessage('signOut');
      onSignedOut(result.serverRevoked ? 'Signed out. Redeem a new invite to join again.' : result.problem);
    } catch (caught) {
      setError(`The extension's background did not answer (${caught instanceof Error ? caught.message : caught}).`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="ol-whoami" data-testid="whoami">
      {problem && (
        <p class="ol-callout ol-callout--warn" role="status">
          {problem}
        </p>
      )}
      <dl class="ol-facts">
        <dt>Signed in as</dt>
        <dd data-testid="whoami-name">{me.user.displayName}</dd>
        <dt>Team</dt>
        <dd data-testid="whoami-team">{me.team.name}</dd>
        <dt>Role</dt>
        <dd data-testid="whoami-role">
          {me.role}: {ROLE_MEANING[me.role]}
        </dd>
      </dl>
      <div class="ol-form__actions">
        <a class="ol-button ol-button--primary" href="/connections.html" data-testid="open-connections">
          Open Connections
        </a>
        <ActionButton busy={busy} busyLabel="Signing out…" onClick={() => void signOut()} testId="sign-out">
          Sign out
        </ActionButton>
      </div>
      {error && (
        <p class="ol-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
