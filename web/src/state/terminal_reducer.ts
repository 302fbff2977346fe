// Terminal sessions: terminal_started / terminal_output / terminal_resize into a chunk list
// that rebuilds the screen when written in order. Output beyond a byte cap is dropped from the
// front, keeping the window size in force where the kept chunks begin. Pure (edits a Draft).

import { base64urlDecode } from './base64url';
import { num, str } from './json_fields';
import type { TerminalChunk } from './session_view';
import type { Draft, EventContext, TerminalDraft } from './view_draft';

export const DEFAULT_TERMINAL_BYTES = 8 * 1024 * 1024;
const DEFAULT_COLS = 80;
const DEFAULT_ROWS = 24;

export function onTerminalStarted(d: Draft, e: EventContext): void {
  const t = terminal(d);
  const cmd = e.data['command'];
  t.command = Array.isArray(cmd) ? cmd.filter((a): a is string => typeof a === 'string') : [];
  resize(t, e);
}

export function onTerminalResize(d: Draft, e: EventContext): void {
  resize(terminal(d), e);
}

export function onTerminalOutput(d: Draft, e: EventContext): void {
  const bytes = base64urlDecode(str(e.data, 'data') ?? '');
  if (!bytes || bytes.length === 0) return;
  const t = terminal(d);
  t.chunks.push({ kind: 'output', seq: e.seq, data: bytes });
  t.bytes += bytes.length;
}

/**
 * Drops the oldest output until at most maxBytes are held. The result depends only on the
 * chunks, not on how many calls they came in, so a view built in pieces equals one built at once.
 */
export function trimTerminal(t: TerminalDraft, maxBytes: number): void {
  if (t.bytes <= maxBytes) return;
  let drop = 0;
  let size: TerminalChunk | null = null;
  while (t.bytes > maxBytes && drop < t.chunks.length) {
    const c = t.chunks[drop++]!;
    if (c.kind === 'output') {
      t.bytes -= c.data.length;
      t.droppedBytes += c.data.length;
    } else {
      size = c;
    }
  }
  const rest = t.chunks.slice(drop);
  t.chunks = size && rest[0]?.kind !== 'resize' ? [size, ...rest] : rest;
}

function terminal(d: Draft): TerminalDraft {
  d.terminal ??= { command: [], cols: DEFAULT_COLS, rows: DEFAULT_ROWS, chunks: [], bytes: 0, droppedBytes: 0 };
  return d.terminal;
}

function resize(t: TerminalDraft, e: EventContext): void {
  const cols = dimension(num(e.data, 'cols'));
  const rows = dimension(num(e.data, 'rows'));
  if (cols === null || rows === null) return;
  t.cols = cols;
  t.rows = rows;
  t.chunks.push({ kind: 'resize', seq: e.seq, cols, rows });
}

function dimension(n: number | null): number | null {
  return n !== null && Number.isInteger(n) && n >= 1 && n <= 1000 ? n : null;
}
