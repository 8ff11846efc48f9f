import { useEffect, useState } from 'preact/hooks';
import { backgroundUnavailable, type ServerStatus } from '../../api/server-status.ts';
import { parseServerUrl } from '../../api/server-url.ts';
import { sendMessage } from '../../messaging.ts';
import { ServerStatusView } from '../../ui/server-status-view.tsx';

type Feedback = { kind: 'error'; message: string } | { kind: 'saved'; message: string } | undefined;

/** Where the OrgLink server is. The address is checked here, again in the background, then tried. */
export function ServerUrlSection({ onSaved }: { onSaved: (url: string) => void }) {
  const [input, setInput] = useState('');
  const [status, setStatus] = useState<ServerStatus>();
  const [feedback, setFeedback] = useState<Feedback>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    sendMessage('getServerUrl').then(setInput, () => {});
    sendMessage('getServerStatus').then(setStatus, (error: unknown) => setStatus(backgroundUnavailable(error)));
  }, []);

  async function save(event: Event) {
    event.preventDefault();
    const parsed = parseServerUrl(input);
    if (!parsed.ok) {
      setFeedback({ kind: 'error', message: parsed.message });
      return;
    }
    setSaving(true);
    setFeedback(undefined);
    try {
      const result = await sendMessage('saveServerUrl', parsed.url);
      if (!result.saved) {
        setFeedback({ kind: 'error', message: result.message });
        return;
      }
      setInput(parsed.url);
      setStatus(result.status);
      setFeedback({
        kind: 'saved',
        message:
          result.status.state === 'connected'
            ? 'Saved.'
            : 'Saved, but the server does not answer yet. The popup will show when it does.',
      });
      onSaved(parsed.url);
    } catch (error) {
      setFeedback({ kind: 'error', message: backgroundUnavailable(error).problem });
    } finally {
      setSaving(false);
    }
  }

  const invalid = feedback?.kind === 'error';
  return (
    <section class="options__section" aria-labelledby="server-title">
      <h2 id="server-title" class="ol-visually-hidden">
        Server
      </h2>
      <form onSubmit={save} noValidate>
        <label for="server-url">OrgLink server URL</label>
        <p class="ol-notice" id="server-url-help">
          The address <code>npm start</code> prints, for example http://127.0.0.1:8787.
        </p>
        <div class="options__row">
          <input
            id="server-url"
            name="serverUrl"
            type="text"
            inputMode="url"
            autoComplete="url"
            spellcheck={false}
            value={input}
            aria-invalid={invalid}
            aria-describedby="server-url-help server-url-feedback"
            onInput={(event) => setInput(event.currentTarget.value)}
          />
          <button type="submit" disabled={saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
        <p
          id="server-url-feedback"
          class={invalid ? 'ol-error' : 'ol-notice'}
          role={invalid ? 'alert' : 'status'}
          data-testid="server-url-feedback"
        >
          {feedback?.message}
        </p>
      </form>
      <ServerStatusView status={status} />
    </section>
  );
}
