/**
 * A small browser for driving sign-ins with fetch: it follows redirects, keeps cookies per host name (ports ignored,
 * as browsers do, which matters because every simulator origin is 127.0.0.1), and reads and submits HTML forms.
 */

export interface Page {
  url: string;
  status: number;
  html: string;
}

export interface HtmlForm {
  action: string;
  method: string;
  fields: Record<string, string>;
  /** Submit buttons (name=value), one of which a click adds to the body. */
  buttons: { name: string; value: string }[];
  /** Radio inputs by name: their values, in page order. */
  radios: Record<string, string[]>;
}

const decode = (text: string) =>
  text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

const attribute = (tag: string, name: string) => {
  const match = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return match ? decode(match[1] ?? '') : undefined;
};

export function parseForms(page: Page): HtmlForm[] {
  return [...page.html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map((match) => {
    const [, head = '', body = ''] = match;
    const form: HtmlForm = {
      action: new URL(attribute(head, 'action') ?? page.url, page.url).toString(),
      method: (attribute(head, 'method') ?? 'get').toLowerCase(),
      fields: {},
      buttons: [],
      radios: {},
    };
    for (const [tag] of body.matchAll(/<(?:input|button)\b[^>]*>/gi)) {
      const name = attribute(tag, 'name');
      const type = (attribute(tag, 'type') ?? 'text').toLowerCase();
      const value = attribute(tag, 'value') ?? '';
      if (!name) continue;
      if (type === 'submit') form.buttons.push({ name, value });
      else if (type === 'radio') {
        form.radios[name] = [...(form.radios[name] ?? []), value];
        if (/\schecked\b/i.test(tag)) form.fields[name] = value;
      } else form.fields[name] = value;
    }
    return form;
  });
}

export class Browser {
  readonly #cookies = new Map<string, Map<string, string>>();
  /** Every URL visited, in order: tests read where a flow went. */
  readonly visited: string[] = [];

  async #request(url: string, init: RequestInit): Promise<Response> {
    const host = new URL(url).hostname;
    const jar = this.#cookies.get(host) ?? new Map<string, string>();
    this.#cookies.set(host, jar);
    const headers = new Headers(init.headers);
    if (jar.size) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    this.visited.push(url);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      if (/Max-Age=0/i.test(line)) jar.delete(name);
      else jar.set(name, pair.slice(at + 1).trim());
    }
    return response;
  }

  async #follow(response: Response, url: string, stopAt?: (url: string) => boolean): Promise<Page> {
    let current = response;
    let currentUrl = url;
    for (let hop = 0; hop < 20; hop += 1) {
      const location = current.headers.get('location');
      if (current.status < 300 || current.status >= 400 || !location) {
        return { url: currentUrl, status: current.status, html: await current.text() };
      }
      await current.body?.cancel();
      currentUrl = new URL(location, currentUrl).toString();
      if (stopAt?.(currentUrl)) return { url: currentUrl, status: current.status, html: '' };
      current = await this.#request(currentUrl, { method: 'GET' });
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Opens a URL and follows redirects; stopAt ends the walk before requesting a URL (its page is then empty). */
  async open(url: string, stopAt?: (url: string) => boolean): Promise<Page> {
    return this.#follow(await this.#request(url, { method: 'GET' }), url, stopAt);
  }

  /** Fills and submits a form like a click on `button` (a submit button's name). */
  async submit(form: HtmlForm, values: Record<string, string> = {}, button?: string): Promise<Page> {
    const fields = { ...form.fields, ...values };
    const clicked = button ? form.buttons.find((candidate) => candidate.name === button) : undefined;
    if (button && !clicked) throw new Error(`no button ${button} in the form`);
    if (clicked) fields[clicked.name] = clicked.value;
    const body = new URLSearchParams(fields).toString();
    if (form.method !== 'post') return this.open(`${form.action}?${body}`);
    const response = await this.#request(form.action, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    return this.#follow(response, form.action);
  }

  /** The form of a page that contains `marker` (an action path or a field name). */
  form(page: Page, marker: string): HtmlForm {
    const form = parseForms(page).find(
      (candidate) => candidate.action.includes(marker) || marker in candidate.fields || marker in candidate.radios,
    );
    if (!form)
      throw new Error(`no form with ${marker} on ${page.url} (status ${page.status}):\n${page.html.slice(0, 800)}`);
    return form;
  }
}

/** The visible text of a page, for assertions on what a person reads. */
export function pageText(page: Page): string {
  return decode(
    page.html
      .replace(/<style[\s\S]*?<\/style>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' '),
  ).trim();
}
