/** Dataverse writes date-times in UTC to the second, with a `Z` (e.g. `2024-03-01T10:00:00Z`). */
export function dataverseDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
