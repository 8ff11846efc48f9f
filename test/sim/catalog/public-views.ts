import type { CatalogAccount } from './account.ts';
import type { CatalogRecord, CourseRecord } from './catalog-content.ts';
import { html } from './html.ts';

const STYLE = `body{margin:0;font:15px/1.5 "Lato",Arial,sans-serif;color:#2d3b45;background:#fafafa}
header{display:flex;align-items:center;padding:14px 28px;background:#fff;border-bottom:1px solid #ddd}
header a.login{margin-left:auto}main{max-width:1000px;margin:24px auto;padding:0 20px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:16px;list-style:none;padding:0}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:16px}a{color:#0770a3}code{background:#eee;padding:1px 4px}`;

export function listingPath(course: CourseRecord, catalogs: readonly CatalogRecord[]): string {
  const catalog = catalogs.find((candidate) => candidate.id === course.catalogId);
  return catalog?.path ? `/browse/${catalog.path}/courses/${course.listing_path}` : `/courses/${course.listing_path}`;
}

function page(account: CatalogAccount, title: string, body: ReturnType<typeof html>): string {
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head>
<body class="catalog-storefront"><header><strong><a href="/">${account.name}</a></strong><a class="login" href="/login">Log In</a></header>
<main>${body}</main></body></html>
`.text;
}

/** The public storefront home: listed courses that are open for enrollment. */
export function storefrontPage(account: CatalogAccount): string {
  const listed = account.courses.filter((course) => course.visibility === 'listed');
  return page(
    account,
    account.name,
    html`<h1>Courses</h1><ul class="cards">${listed.map(
      (
        course,
      ) => html`<li class="card" data-listing-id="${course.id}"><h2><a href="${listingPath(course, account.catalogs)}">${course.title}</a></h2>
<p>${course.short_description}</p><p>${course.enrollment_fee === 0 ? 'Free' : `$${course.enrollment_fee.toFixed(2)}`}</p></li>`,
    )}</ul>`,
  );
}

export function listingPage(account: CatalogAccount, course: CourseRecord): string {
  return page(
    account,
    `${course.title} | ${account.name}`,
    html`<article data-listing-id="${course.id}"><h1>${course.title}</h1><p>${course.short_description}</p>
<p>Fee: ${course.enrollment_fee === 0 ? 'Free' : `$${course.enrollment_fee.toFixed(2)}`} · Enrollment ${course.enrollment_open ? 'open' : 'closed'}</p></article>`,
  );
}

const DOCUMENTED = [
  [
    'GET',
    '/api/v1/users',
    'List users (registered_in_catalog, canvas_user_id, created_at_from/to, updated_at_from/to)',
  ],
  ['POST', '/api/v1/users', 'Register a user'],
  ['GET', '/api/v1/users/:id', 'Get a user'],
  ['PUT', '/api/v1/users/:id', 'Update a user (custom_fields, clear_merged_into_user_id)'],
  ['DELETE', '/api/v1/users/:id', 'Delete a user (only_orders_and_enrollments)'],
  ['GET', '/api/v1/catalogs', 'List catalogs'],
  ['GET', '/api/v1/courses', 'List courses'],
  ['GET', '/api/v1/courses/:id', 'Get a course'],
  ['GET', '/api/v1/enrollments', 'List enrollments (listing_id)'],
  ['GET', '/api/v1/enrollments/:id', 'Get an enrollment'],
] as const;

/** Each Catalog serves its API reference at /api/docs under this title, a marker for detecting Catalog hosts. */
export function apiDocsPage(account: CatalogAccount): string {
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Catalog JSON API Documentation</title><style>${STYLE}</style></head>
<body class="catalog-api-docs"><main><h1>Catalog JSON API Documentation</h1>
<p>${account.name}. Authenticate with <code>Authorization: Token token="your-api-key"</code>. Index endpoints take
<code>page</code> and <code>per_page</code> (default 20, at most 100) and return RFC 5988 <code>Link</code> headers.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>Description</th></tr></thead><tbody>
${DOCUMENTED.map(([method, path, text]) => html`<tr><td>${method}</td><td><code>${path}</code></td><td>${text}</td></tr>`)}
</tbody></table></main></body></html>
`.text;
}
