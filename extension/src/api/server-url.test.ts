import { describe, expect, it } from 'vitest';
import { parseServerUrl } from './server-url.ts';

describe('parseServerUrl', () => {
  it.each([
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['  http://127.0.0.1:8787/  ', 'http://127.0.0.1:8787'],
    ['https://orglink.example.com', 'https://orglink.example.com'],
    ['https://example.com/orglink//', 'https://example.com/orglink'],
    ['HTTP://LOCALHOST:8787', 'http://localhost:8787'],
  ])('accepts %j as %j', (input, url) => {
    expect(parseServerUrl(input)).toEqual({ ok: true, url });
  });

  it.each([
    ['', /Enter the OrgLink server's address/],
    ['my server', /"my server" is not a URL/],
    ['127.0.0.1:8787', /Did you mean http:\/\/127\.0\.0\.1:8787\?/],
    ['localhost:8787', /Did you mean http:\/\/localhost:8787\?/],
    ['ftp://example.com', /must start with http:\/\/ or https:\/\//],
    ['javascript:alert(1)', /must start with http:\/\/ or https:\/\//],
    ['http://admin:pw@example.com', /Leave the user name and password out/],
    ['http://example.com/?x=1', /Leave out the \? query/],
    ['http://orglink.example.com', /Use https:\/\/ for a server that is not on this computer/],
    ['http://192.168.1.20:8787', /Use https:\/\//],
  ])('refuses %j and says what to type', (input, message) => {
    const result = parseServerUrl(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});
