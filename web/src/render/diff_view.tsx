// A diff as a table of lines: line numbers, a +/− mark that screen readers read as
// "added"/"removed", the text. DiffView diffs two texts; DiffRows shows rows already made
// (a parsed unified diff). Colours come from classes in render.css, never style attributes.

import type { ComponentChildren } from 'preact';
import { diffLines, hunks, type DiffLine, type DiffRow } from './diff';
import './render.css';

/** Rows past this are not drawn; a line says how many were left out. */
export const MAX_DIFF_ROWS = 2000;

export function DiffView({ before, after, path }: { before: string; after: string; path?: string }) {
  return <DiffRows rows={cachedHunks(before, after)} path={path} />;
}

export function DiffRows({
  rows,
  path,
  note,
  maxRows = MAX_DIFF_ROWS,
}: {
  rows: readonly DiffRow[];
  path?: string | null;
  note?: string | null;
  maxRows?: number;
}) {
  const shown = rows.length > maxRows ? rows.slice(0, maxRows) : rows;
  const left = rows.length - shown.length;
  let added = 0;
  let removed = 0;
  let numbered = false;
  for (const r of rows) {
    if (r.kind === 'add') added++;
    else if (r.kind === 'del') removed++;
    if (r.kind !== 'skip' && (r.oldNo !== null || r.newNo !== null)) numbered = true;
  }
  const columns = numbered ? 4 : 2;
  return (
    <figure class="diff">
      <figcaption class="diff-head">
        {path && <span class="diff-path">{path}</span>}
        {note && <span class="diff-note">{note}</span>}
        <span class="diff-stat">
          <span aria-hidden="true">
            <span class="diff-stat-add">+{added}</span> <span class="diff-stat-del">−{removed}</span>
          </span>
          <span class="render-sr">
            {added} {added === 1 ? 'line' : 'lines'} added, {removed} removed
          </span>
        </span>
      </figcaption>
      <table class="diff-table">
        <tbody>{shown.map((r) => (r.kind === 'skip' ? skipRow(r.count, columns) : lineRow(r, numbered)))}</tbody>
      </table>
      {left > 0 && (
        <p class="diff-more">
          {left} more {left === 1 ? 'row' : 'rows'} not shown
        </p>
      )}
    </figure>
  );
}

/** The mark of a line: a sign to see, a word to hear. */
function mark(kind: DiffLine['kind']): ComponentChildren {
  if (kind === 'same') return null;
  return [
    <span aria-hidden="true">{kind === 'add' ? '+' : '−'}</span>,
    <span class="render-sr">{kind === 'add' ? 'added ' : 'removed '}</span>,
  ];
}

function lineRow(r: DiffLine, numbered: boolean) {
  return (
    <tr class={`diff-line diff-${r.kind}`}>
      {numbered && <td class="diff-no">{r.oldNo ?? ''}</td>}
      {numbered && <td class="diff-no">{r.newNo ?? ''}</td>}
      <td class="diff-mark">{mark(r.kind)}</td>
      <td class="diff-text">{r.text}</td>
    </tr>
  );
}

function skipRow(count: number | null, columns: number) {
  return (
    <tr class="diff-skip">
      <td colSpan={columns}>
        {count === null ? '⋯' : `⋯ ${count} unchanged ${count === 1 ? 'line' : 'lines'}`}
      </td>
    </tr>
  );
}

/** Recent diffs by their texts: a screen redraws often, and Myers is not free. */
const cache = new Map<string, { before: string; rows: DiffRow[] }>();
const CACHE_SIZE = 32;

function cachedHunks(before: string, after: string): DiffRow[] {
  const hit = cache.get(after);
  if (hit && hit.before === before) return hit.rows;
  const rows = hunks(diffLines(before, after));
  cache.delete(after);
  cache.set(after, { before, rows });
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return rows;
}
