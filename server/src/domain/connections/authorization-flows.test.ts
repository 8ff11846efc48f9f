import { describe, expect, it } from 'vitest';
import { AuthorizationFlows, FLOW_LIFETIME_MS } from './authorization-flows.ts';

function setup() {
  let now = 1_000_000;
  const flows = new AuthorizationFlows(() => now);
  const flow = flows.create({
    kind: 'salesforce',
    connectionId: 'c1',
    teamId: 't1',
    userId: 'u1',
    tokenId: 't1',
    salesforce: undefined,
    dynamics: undefined,
  });
  return { flows, flow, advanceClock: (ms: number) => (now += ms) };
}

describe('authorization flows', () => {
  it('makes random, distinct ids and states', () => {
    const { flows, flow } = setup();
    const other = flows.create({ ...flow, salesforce: undefined, dynamics: undefined });
    expect(flow.id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(flow.state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set([flow.id, flow.state, other.id, other.state]).size).toBe(4);
  });

  it('accepts a state once, for its own CRM, within ten minutes', () => {
    const { flows, flow, advanceClock } = setup();
    expect(flows.forCallback(flow.state, 'dynamics').status).toBe('unknown');
    expect(flows.forCallback('forged', 'salesforce').status).toBe('unknown');
    advanceClock(FLOW_LIFETIME_MS - 1);
    expect(flows.forCallback(flow.state, 'salesforce').status).toBe('ok');
    flows.claim(flow, 'signing-in');
    expect(flows.forCallback(flow.state, 'salesforce').status).toBe('used');
    expect(flows.forStart(flow.id).status).toBe('used');
  });

  it('expires a step after ten minutes, and each new page gets ten more', () => {
    const { flows, flow, advanceClock } = setup();
    advanceClock(FLOW_LIFETIME_MS + 1);
    expect(flows.forCallback(flow.state, 'salesforce').status).toBe('expired');
    const fresh = setup();
    fresh.advanceClock(FLOW_LIFETIME_MS - 1000);
    const token = fresh.flows.advance(fresh.flow, 'consent');
    fresh.advanceClock(FLOW_LIFETIME_MS - 1000);
    expect(fresh.flows.forForm(fresh.flow.id, token, 'consent').status).toBe('ok');
    fresh.advanceClock(2000);
    expect(fresh.flows.forForm(fresh.flow.id, token, 'consent').status).toBe('expired');
  });

  it('takes a form token once: a replay is "used", a forged token "unknown"', () => {
    const { flows, flow } = setup();
    const first = flows.advance(flow, 'choosing-environment');
    expect(flows.forForm(flow.id, 'forged', 'choosing-environment').status).toBe('unknown');
    expect(flows.forForm(flow.id, first, 'consent').status).toBe('used');
    expect(flows.forForm(flow.id, first, 'choosing-environment').status).toBe('ok');
    const second = flows.advance(flow, 'consent');
    expect(second).not.toBe(first);
    expect(flows.forForm(flow.id, first, 'choosing-environment').status).toBe('used');
    flows.finish(flow);
    expect(flows.forForm(flow.id, second, 'consent').status).toBe('used');
    expect(flows.forForm('nope', second, 'consent').status).toBe('unknown');
  });

  it('drops the tokens of a finished or expired flow, and forgets it after an hour', () => {
    const { flows, flow, advanceClock } = setup();
    flow.grant = {
      orgId: 'o',
      orgName: null,
      instanceUrl: 'https://x',
      username: 'u',
      credentials: {
        kind: 'salesforce',
        accessToken: 'a',
        refreshToken: 'r',
        instanceUrl: 'https://x',
        identityUrl: 'https://x/id',
        orgId: 'o',
        orgName: null,
        userId: 'u',
        username: 'u',
      },
    };
    advanceClock(FLOW_LIFETIME_MS + 1);
    flows.create({ ...flow, salesforce: undefined, dynamics: undefined });
    expect(flow.grant).toBeUndefined();
    expect(flows.forCallback(flow.state, 'salesforce').status).toBe('expired');
    advanceClock(61 * 60_000);
    flows.create({ ...flow, salesforce: undefined, dynamics: undefined });
    expect(flows.forCallback(flow.state, 'salesforce').status).toBe('unknown');
    expect(flows.size).toBe(2);
  });
});
