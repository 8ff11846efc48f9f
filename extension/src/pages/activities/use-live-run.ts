import type { JobRun } from '@orglink/shared';
import { useEffect, useRef, useState } from 'preact/hooks';
import { sendMessage } from '../../messaging.ts';
import { askBackground } from '../ask-background.ts';
import { useLiveEvents } from '../use-live-events.ts';

const STAGE: Record<JobRun['status'], number> = {
  queued: 0,
  holding: 1,
  running: 1,
  completed: 2,
  'completed-with-errors': 2,
  failed: 2,
  aborted: 2,
};

/** Only moves forward: an event that arrives late must not put an older state of the run back on screen. */
export function newerRun(current: JobRun, next: JobRun): JobRun {
  const stage = STAGE[next.status] - STAGE[current.status];
  if (stage !== 0) return stage > 0 ? next : current;
  return next.counts.processed >= current.counts.processed ? next : current;
}

/**
 * One run, kept live by the background's run.changed events. It is asked for once at the start (the run may have
 * moved before the page listened) and again whenever the event stream comes back after a break.
 */
export function useLiveRun(initial: JobRun): JobRun {
  const [run, setRun] = useState(initial);
  const wasOpen = useRef<boolean | undefined>(undefined);

  const refresh = () =>
    void askBackground(() => sendMessage('getRun', initial.id)).then((result) => {
      if (result.ok) setRun((current) => newerRun(current, result.data));
    });

  useEffect(() => {
    setRun(initial);
    refresh();
  }, [initial.id]);

  useLiveEvents((message) => {
    if (message.kind === 'status') {
      const open = message.status.state === 'open';
      if (open && wasOpen.current === false) refresh();
      wasOpen.current = open;
      return;
    }
    const { event } = message;
    if (event.type === 'run.changed' && event.run.id === initial.id) setRun((current) => newerRun(current, event.run));
  });
  return run;
}
