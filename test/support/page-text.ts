import type { Page } from 'puppeteer-core';

/**
 * Waits until the element's text satisfies `expected` and returns it. Polls with $eval (DevTools protocol calls,
 * which the extension pages' strict CSP allows) and, on time-out, fails with the text it last saw.
 */
export async function waitForText(
  page: Page,
  selector: string,
  expected: string | RegExp,
  timeoutMs = 15_000,
): Promise<string> {
  const matches = (text: string) => (typeof expected === 'string' ? text.includes(expected) : expected.test(text));
  const deadline = Date.now() + timeoutMs;
  let last = '(element not found)';
  while (Date.now() < deadline) {
    const text = await page.$eval(selector, (element) => element.textContent ?? '').catch(() => undefined);
    if (text !== undefined) {
      last = text;
      if (matches(text)) return text;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`"${selector}" never showed ${expected}; last text: "${last}"`);
}

/** Replaces an input's value by selecting what is there and typing, as a person does. */
export async function typeInto(page: Page, selector: string, text: string) {
  await page.click(selector, { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, text);
}
