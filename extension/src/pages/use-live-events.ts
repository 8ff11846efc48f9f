import { useEffect, useRef } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { LIVE_EVENTS_PORT, type LiveEventsMessage } from '../messaging.ts';

/** Long enough not to spin if the background keeps failing; short enough that a woken page catches up at once. */
const RECONNECT_DELAY_MS = 1000;

/**
 * Receives the server's live events through the background while the page is open. When Chrome stops the service
 * worker the port disconnects; reconnecting wakes it, and it re-opens the event stream.
 */
export function useLiveEvents(onMessage: (message: LiveEventsMessage) => void) {
  const handler = useRef(onMessage);
  handler.current = onMessage;

  useEffect(() => {
    let port: ReturnType<typeof browser.runtime.connect> | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const connect = () => {
      try {
        port = browser.runtime.connect({ name: LIVE_EVENTS_PORT });
      } catch {
        timer = setTimeout(connect, RECONNECT_DELAY_MS);
        return;
      }
      port.onMessage.addListener((message: unknown) => handler.current(message as LiveEventsMessage));
      port.onDisconnect.addListener(() => {
        port = undefined;
        if (!stopped) timer = setTimeout(connect, RECONNECT_DELAY_MS);
      });
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      port?.disconnect();
    };
  }, []);
}
