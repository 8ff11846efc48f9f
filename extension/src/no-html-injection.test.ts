import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// CRM values (names, messages, field values) reach every view of the extension. Preact renders text as text; these
// are the ways around it, and none of them may appear in the extension's own code (tests may build fixtures with
// them). A hit fails with file:line so the fix is one click away.

const SOURCE_ROOT = path.dirname(fileURLToPath(import.meta.url));

const FORBIDDEN: Array<[RegExp, string]> = [
  [/\.(innerHTML|outerHTML)\s*(=|\+=)/, 'innerHTML/outerHTML assignment'],
  [/\binsertAdjacentHTML\s*\(/, 'insertAdjacentHTML'],
  [/\bdangerouslySetInnerHTML\b/, 'dangerouslySetInnerHTML'],
  [/\bcreateContextualFragment\s*\(/, 'createContextualFragment'],
  [/\bdocument\.write(ln)?\s*\(/, 'document.write'],
  [/(^|[^\w.])eval\s*\(/, 'eval'],
  [/\bnew\s+Function\s*\(/, 'new Function'],
  [/\bset(Timeout|Interval)\s*\(\s*['"`]/, 'setTimeout/setInterval with a string'],
  [/\bsrcdoc\b/, 'iframe srcdoc'],
];

/** Every forbidden use in one file's text, as `file:line: what`. */
function findHtmlInjection(file: string, text: string): string[] {
  const hits: string[] = [];
  text.split('\n').forEach((line, index) => {
    for (const [pattern, what] of FORBIDDEN) {
      if (pattern.test(line)) hits.push(`${file}:${index + 1}: ${what}`);
    }
  });
  return hits;
}

function productSources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return productSources(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('no HTML injection sinks in the extension', () => {
  it('finds each sink in a sample, with its line', () => {
    const sample = [
      'element.innerHTML = name;',
      'host.insertAdjacentHTML("beforeend", html);',
      '<p dangerouslySetInnerHTML={{ __html: message }} />',
      'const value = eval(code);',
      'const run = new Function("return 1");',
      'setTimeout("tick()", 10);',
      'const safe = element.textContent; // innerHTML is mentioned, not used',
    ].join('\n');
    expect(findHtmlInjection('sample.tsx', sample)).toEqual([
      'sample.tsx:1: innerHTML/outerHTML assignment',
      'sample.tsx:2: insertAdjacentHTML',
      'sample.tsx:3: dangerouslySetInnerHTML',
      'sample.tsx:4: eval',
      'sample.tsx:5: new Function',
      'sample.tsx:6: setTimeout/setInterval with a string',
    ]);
  });

  it('has none in extension/src (outside tests)', () => {
    const files = productSources(SOURCE_ROOT);
    expect(files.length).toBeGreaterThan(50);
    const hits = files.flatMap((file) =>
      findHtmlInjection(path.relative(SOURCE_ROOT, file), readFileSync(file, 'utf8')),
    );
    expect(hits).toEqual([]);
  });
});
