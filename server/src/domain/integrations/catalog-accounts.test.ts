import { describe, expect, it } from 'vitest';
import { ApiError } from '../../http-errors.ts';
import { normalizeCatalogHost } from './catalog-accounts.ts';

function refusal(raw: string): string {
  try {
    normalizeCatalogHost(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('CATALOG_HOST_INVALID');
    return (error as ApiError).message;
  }
  throw new Error(`${raw} was accepted`);
}

describe('Catalog hosts', () => {
  it('takes hosted and custom domains, and reduces a pasted URL to its host', () => {
    expect(normalizeCatalogHost('acme.catalog.instructure.com')).toBe('acme.catalog.instructure.com');
    expect(normalizeCatalogHost(' https://Globex.Catalog.CanvasLMS.com/admin/integrations?x=1 ')).toBe(
      'globex.catalog.canvaslms.com',
    );
    expect(normalizeCatalogHost('learn.example.edu')).toBe('learn.example.edu');
  });

  it('refuses what is not a Catalog host, saying what to enter', () => {
    expect(refusal('acme')).toMatch(/not a host name/);
    expect(refusal('10.0.0.1')).toMatch(/IP address/);
    expect(refusal('acme.catalog.instructure.com:8443')).toMatch(/without a port/);
    expect(refusal('acme.instructure.com')).toMatch(/Canvas LMS host/);
    expect(refusal('catalog.instructure.com')).toMatch(/Canvas LMS host|not a Catalog account host/);
    expect(refusal('a.b.catalog.instructure.com')).toMatch(/not a Catalog account host/);
    expect(refusal('ftp://acme.catalog.instructure.com')).toMatch(/not a web address/);
    expect(refusal('acme_x.example.com')).toMatch(/not a host name/);
  });
});
