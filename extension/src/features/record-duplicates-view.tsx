import { useState } from 'preact/hooks';
import { type RecordMatch, recordPageUrl } from './record-duplicates-status.ts';

/** The badge shows this many matches at most; the results page has them all. */
export const TOP_MATCHES = 5;
const TOP_REASONS = 3;

export function possibleDuplicatesText(count: number): string {
  return `${count} possible ${count === 1 ? 'duplicate' : 'duplicates'}`;
}

function formatScore(score: number): string {
  return `${Math.round(score)}%`;
}

interface Props {
  matches: RecordMatch[];
  /** The page the badge is on: links to the matches stay on its host, where the admin's session is. */
  pageUrl: URL;
}

/**
 * "N possible duplicates" for the record on the page, unfolding to the best matches with their top reasons and a
 * link to each. Names and reasons come from the CRM and the server: Preact renders them as text, never as HTML.
 */
export function RecordDuplicates({ matches, pageUrl }: Props) {
  const [open, setOpen] = useState(false);
  if (matches.length === 0) return null;
  const top = [...matches].sort((left, right) => right.score - left.score).slice(0, TOP_MATCHES);
  return (
    <div class="ol-badge__duplicates" data-testid="orglink-duplicates">
      <button
        type="button"
        class="ol-badge__duplicates-toggle"
        aria-expanded={open ? 'true' : 'false'}
        data-testid="orglink-duplicates-toggle"
        onClick={() => setOpen(!open)}
      >
        {possibleDuplicatesText(matches.length)} {open ? '▾' : '▸'}
      </button>
      {open && (
        <ol class="ol-badge__matches" data-testid="orglink-duplicates-list">
          {top.map((match) => (
            <li key={match.pairId} data-testid="orglink-duplicate">
              <a href={recordPageUrl(pageUrl, match.object, match.recordId)} data-testid="orglink-duplicate-link">
                {match.name || match.recordId}
              </a>{' '}
              <span class="ol-badge__score">{formatScore(match.score)}</span>
              {match.reasons.length > 0 && (
                <span class="ol-badge__reasons">{match.reasons.slice(0, TOP_REASONS).join('; ')}</span>
              )}
            </li>
          ))}
          {matches.length > TOP_MATCHES && (
            <li class="ol-badge__more">and {matches.length - TOP_MATCHES} more on the Duplicate Check results page</li>
          )}
        </ol>
      )}
    </div>
  );
}
