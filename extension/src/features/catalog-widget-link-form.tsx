import type { Connection, Integration } from '@orglink/shared';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { CatalogWidgetApi } from './catalog-widget-api.ts';
import { parseCatalogToken } from './catalog-widget-input.ts';

type Connections = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; list: Connection[] };

interface Props {
  catalogHost: string;
  canEdit: boolean;
  api: CatalogWidgetApi;
  onLinked: (integration: Integration) => void;
}

/** Not linked yet: pick one of the team's connections, paste the Catalog API token, link. */
export function LinkAccountForm({ catalogHost, canEdit, api, onLinked }: Props) {
  const [connections, setConnections] = useState<Connections>({ state: 'loading' });
  const [connectionId, setConnectionId] = useState('');
  const [token, setToken] = useState('');
  const [errors, setErrors] = useState<{ connection?: string; token?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const tokenInput = useRef<HTMLInputElement>(null);
  const id = useId();

  const load = async () => {
    setConnections({ state: 'loading' });
    const result = await api.listConnections();
    if (!result.ok) {
      setConnections({ state: 'error', message: result.error.message });
      return;
    }
    setConnections({ state: 'ready', list: result.data.connections });
    const usable = result.data.connections.find((connection) => connection.status === 'active');
    setConnectionId((current) => current || (usable ?? result.data.connections[0])?.id || '');
  };
  useEffect(() => void load(), []);

  async function link(event: Event) {
    event.preventDefault();
    if (busy) return;
    const parsedToken = parseCatalogToken(token);
    const next: typeof errors = {};
    if (!connectionId) next.connection = 'Choose the connection to write Catalog users to.';
    if (!parsedToken.ok) next.token = parsedToken.message;
    setErrors(next);
    if (next.connection || !parsedToken.ok) {
      if (next.token) tokenInput.current?.focus();
      return;
    }
    setBusy(true);
    const result = await api.createIntegration({ connectionId, catalogHost, catalogToken: parsedToken.value });
    setBusy(false);
    if (!result.ok) {
      const aboutToken = /TOKEN/.test(result.error.code) || /token/i.test(result.error.message);
      setErrors(aboutToken ? { token: result.error.message } : { form: result.error.message });
      if (aboutToken) tokenInput.current?.focus();
      return;
    }
    setToken('');
    onLinked(result.data);
  }

  if (connections.state === 'loading') {
    return (
      <p class="ol-cw__note" role="status" aria-busy="true" data-testid="orglink-link-loading">
        Loading your team's connections…
      </p>
    );
  }
  if (connections.state === 'error') {
    return (
      <div class="ol-cw__error" role="alert" data-testid="orglink-link-error">
        <p>{connections.message}</p>
        <button type="button" class="ol-cw__secondary" onClick={() => void load()}>
          Retry
        </button>
      </div>
    );
  }
  if (connections.list.length === 0) {
    return (
      <div class="ol-cw__empty" data-testid="orglink-link-no-connections">
        <h3>Link this Catalog account</h3>
        <p>
          Your team has no Salesforce or Dynamics 365 connection yet. Add one on the OrgLink Connections page (toolbar
          button, then Connections), then come back here.
        </p>
      </div>
    );
  }
  const denied = canEdit ? undefined : 'Viewers cannot link accounts. Ask a team admin or owner.';
  return (
    <form class="ol-cw__form" onSubmit={link} noValidate data-testid="orglink-link-form">
      <h3>Link this Catalog account</h3>
      <p class="ol-cw__note">
        Catalog users of <strong>{catalogHost}</strong> will be written to the connection you choose.
      </p>
      <div class="ol-cw__field">
        <label for={`${id}-connection`}>Connection</label>
        <select
          id={`${id}-connection`}
          value={connectionId}
          aria-invalid={errors.connection ? 'true' : undefined}
          aria-describedby={errors.connection ? `${id}-connection-error` : undefined}
          onChange={(event) => setConnectionId(event.currentTarget.value)}
          data-testid="orglink-link-connection"
        >
          {connections.list.map((connection) => (
            <option key={connection.id} value={connection.id}>
              {connection.name} ({connection.kind === 'salesforce' ? 'Salesforce' : 'Dynamics 365'}
              {connection.status === 'active' ? '' : `, ${connection.status}`})
            </option>
          ))}
        </select>
        {errors.connection && (
          <p class="ol-cw__field-error" id={`${id}-connection-error`} role="alert">
            {errors.connection}
          </p>
        )}
      </div>
      <div class="ol-cw__field">
        <label for={`${id}-token`}>Catalog API token</label>
        <input
          id={`${id}-token`}
          ref={tokenInput}
          type="password"
          autoComplete="off"
          spellcheck={false}
          value={token}
          aria-invalid={errors.token ? 'true' : undefined}
          aria-describedby={`${id}-token-hint${errors.token ? ` ${id}-token-error` : ''}`}
          onInput={(event) => setToken(event.currentTarget.value)}
          data-testid="orglink-link-token"
        />
        <p class="ol-cw__hint" id={`${id}-token-hint`}>
          From Catalog admin, API keys. OrgLink stores it encrypted and checks it with Catalog before linking.
        </p>
        {errors.token && (
          <p class="ol-cw__field-error" id={`${id}-token-error`} role="alert" data-testid="orglink-link-token-error">
            {errors.token}
          </p>
        )}
      </div>
      {errors.form && (
        <p class="ol-cw__field-error" role="alert" data-testid="orglink-link-form-error">
          {errors.form}
        </p>
      )}
      <button
        type="submit"
        class="ol-cw__primary"
        aria-disabled={busy || denied ? 'true' : undefined}
        title={denied}
        disabled={busy || denied !== undefined}
        data-testid="orglink-link-submit"
      >
        {busy ? 'Linking…' : 'Link account'}
      </button>
      {denied && <p class="ol-cw__note">{denied}</p>}
    </form>
  );
}
