import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { addCustomDomain, parseCatalogDomain } from './catalog-domains.ts';

describe('custom Catalog domains', () => {
  it.each([
    ['learn.example.edu', 'learn.example.edu'],
    ['  https://Learn.Example.edu/admin/integrations ', 'learn.example.edu'],
    ['learn.example.edu.', 'learn.example.edu'],
  ])('accepts %j as %s', (input, domain) => {
    expect(parseCatalogDomain(input)).toEqual({ ok: true, value: domain });
  });

  it.each([
    ['', 'Type the domain'],
    ['http://learn.example.edu', 'runs on https'],
    ['*.example.edu', 'without *'],
    ['127.0.0.1', 'not a domain name'],
    ['localhost', 'not a domain name'],
    ['acme.catalog.instructure.com', 'already works there'],
  ])('refuses %j', (input, message) => {
    expect(parseCatalogDomain(input)).toMatchObject({ ok: false, message: expect.stringContaining(message) });
  });

  describe('adding', () => {
    beforeEach(() => {
      vi.restoreAllMocks();
    });

    it('registers nothing when the admin declines the permission', async () => {
      vi.spyOn(browser.permissions, 'request').mockResolvedValue(false as never);
      const result = await addCustomDomain('learn.example.edu');
      expect(result).toMatchObject({ added: false, message: expect.stringContaining('choose Allow') });
    });

    it('asks for the one origin only and does not ask for an invalid domain', async () => {
      const request = vi.spyOn(browser.permissions, 'request').mockResolvedValue(false as never);
      await addCustomDomain('https://learn.example.edu/x');
      expect(request).toHaveBeenCalledWith({ origins: ['https://learn.example.edu/*'] });
      request.mockClear();
      expect(await addCustomDomain('not a domain')).toMatchObject({ added: false });
      expect(request).not.toHaveBeenCalled();
    });
  });
});
