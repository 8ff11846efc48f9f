import { useEffect, useState } from 'preact/hooks';

/**
 * The open connection lives in the URL's fragment (#connection=<id>), so a details view can be bookmarked, shared
 * with a teammate, and left with the browser's Back button.
 */
export function detailsHref(connectionId: string): string {
  return `#connection=${encodeURIComponent(connectionId)}`;
}

export function selectedConnectionId(hash: string): string | undefined {
  return new URLSearchParams(hash.replace(/^#/, '')).get('connection') ?? undefined;
}

export function useSelectedConnectionId(): string | undefined {
  const [selected, setSelected] = useState(() => selectedConnectionId(location.hash));
  useEffect(() => {
    const update = () => setSelected(selectedConnectionId(location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return selected;
}

export function showConnectionList() {
  // Clears the fragment without leaving an empty "#" behind, and adds a history entry so Back returns to the details.
  history.pushState(null, '', location.pathname + location.search);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}
