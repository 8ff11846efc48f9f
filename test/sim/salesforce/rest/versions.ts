/**
 * API versions the simulated orgs serve: 31.0 (Summer '14) to 67.0 (Summer '26). Versions up to 30.0 were retired in
 * Summer '25, so they answer 404 like any unknown resource.
 */

export const OLDEST_VERSION = 31;
export const LATEST_VERSION = 67;

const SEASONS = ['Summer', 'Winter', 'Spring'] as const;

/** Release label of a version: three releases a year, Winter and Spring named after the following year. */
export function releaseLabel(major: number): string {
  const step = major - OLDEST_VERSION;
  const season = SEASONS[step % 3] ?? 'Summer';
  const year = 14 + Math.ceil(step / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

export function versionList(): { label: string; url: string; version: string }[] {
  const versions = [];
  for (let major = OLDEST_VERSION; major <= LATEST_VERSION; major += 1) {
    versions.push({ label: releaseLabel(major), url: `/services/data/v${major}.0`, version: `${major}.0` });
  }
  return versions;
}

/** `60.0` for a `v60.0` path segment (or `latest`), undefined when the version is not served. */
export function parseVersion(segment: string): string | undefined {
  if (segment === 'latest') return `${LATEST_VERSION}.0`;
  const match = /^v(\d+)\.0$/.exec(segment);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major >= OLDEST_VERSION && major <= LATEST_VERSION ? `${major}.0` : undefined;
}

export function versionNumber(version: string): number {
  return Number(version);
}
