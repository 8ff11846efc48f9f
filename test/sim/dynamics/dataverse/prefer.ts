/** The `Prefer` header values Dataverse honours (RFC 7240; repeated headers arrive joined with commas). */
export interface Preferences {
  returnRepresentation: boolean;
  maxPageSize: number | undefined;
  includeAnnotations: string[] | undefined;
  continueOnError: boolean;
}

/** Splits on commas outside double quotes: `odata.include-annotations="a,b"` is one preference. */
function splitPreferences(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter(Boolean);
}

export function parsePrefer(header: string | undefined): Preferences {
  const preferences: Preferences = {
    returnRepresentation: false,
    maxPageSize: undefined,
    includeAnnotations: undefined,
    continueOnError: false,
  };
  for (const part of splitPreferences(header ?? '')) {
    const [rawName = '', ...rest] = part.split('=');
    const name = rawName.trim().toLowerCase();
    const value = rest.join('=').trim().replace(/^"|"$/g, '');
    if (name === 'return' && value === 'representation') preferences.returnRepresentation = true;
    else if (name === 'odata.maxpagesize' && /^\d+$/.test(value)) preferences.maxPageSize = Number(value);
    else if (name === 'odata.include-annotations')
      preferences.includeAnnotations = value.split(',').map((item) => item.trim());
    else if (name === 'odata.continue-on-error') preferences.continueOnError = value === '' || value === 'true';
  }
  return preferences;
}

/** Whether an annotation term such as `OData.Community.Display.V1.FormattedValue` was asked for (`*` wildcards). */
export function wantsAnnotation(preferences: Preferences, term: string): boolean {
  return (preferences.includeAnnotations ?? []).some((pattern) => {
    if (pattern === '*') return true;
    if (pattern.startsWith('-')) return false;
    return pattern.endsWith('.*') ? term.startsWith(pattern.slice(0, -1)) : pattern === term;
  });
}
