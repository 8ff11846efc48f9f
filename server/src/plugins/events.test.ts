import type { ServerEvent } from '@orglink/shared';
import { describe, expect, it, vi } from 'vitest';
import { TeamEvents } from './events.ts';

const event = { type: 'jobs.changed', jobIds: ['job-1'] } as unknown as ServerEvent;

describe('TeamEvents', () => {
  it("frames an event once for all of a team's streams, as a Server-Sent Events message", () => {
    const events = new TeamEvents();
    const frames: string[] = [];
    const framers: (() => string)[] = [];
    for (let i = 0; i < 3; i++) {
      events.subscribe('team-a', (received, framed) => {
        expect(received).toBe(event);
        framers.push(framed);
        frames.push(framed());
      });
    }
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      events.publish('team-a', event);
      expect(stringify).toHaveBeenCalledTimes(1);
    } finally {
      stringify.mockRestore();
    }
    expect(new Set(framers).size).toBe(1);
    expect(frames).toEqual(Array(3).fill(`event: jobs.changed\ndata: ${JSON.stringify(event)}\n\n`));
  });

  it("reaches only the event's team, and stops at unsubscribe", () => {
    const events = new TeamEvents();
    const a = vi.fn();
    const b = vi.fn();
    const stopA = events.subscribe('team-a', a);
    events.subscribe('team-b', b);
    events.publish('team-a', event);
    stopA();
    events.publish('team-a', event);
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).not.toHaveBeenCalled();
    expect(events.listenerCount('team-a')).toBe(0);
  });
});
