// The mutable working copy of a SessionView while a batch of events is applied. The reducer
// copies a view once per batch (thaw), changes the copy, and hands it back (freeze); the
// view passed in is never changed, and items inside it are replaced, never edited.

import type { JsonObject } from './json_fields';
import type {
  SessionView,
  StatusInfo,
  TerminalChunk,
  TerminalView,
  TimelineItem,
  ToolCard,
  UsageTotals,
} from './session_view';

export interface TerminalDraft {
  command: readonly string[];
  cols: number;
  rows: number;
  chunks: TerminalChunk[];
  bytes: number;
  droppedBytes: number;
}

export interface Draft {
  readonly session: string;
  lastSeq: number;
  timeline: TimelineItem[];
  tools: Record<string, ToolCard>;
  approvals: Record<string, string>;
  status: StatusInfo | null;
  mode: SessionView['mode'];
  usage: UsageTotals;
  lastError: SessionView['lastError'];
  terminal: TerminalDraft | null;
}

export interface EventContext {
  readonly seq: number;
  readonly time: number;
  readonly data: JsonObject;
}

export function thaw(v: SessionView): Draft {
  return {
    session: v.session,
    lastSeq: v.lastSeq,
    timeline: v.timeline.slice(),
    tools: { ...v.tools },
    approvals: { ...v.approvals },
    status: v.status,
    mode: v.mode,
    usage: v.usage,
    lastError: v.lastError,
    terminal: v.terminal ? { ...v.terminal, chunks: v.terminal.chunks.slice() } : null,
  };
}

export function freeze(d: Draft): SessionView {
  const terminal: TerminalView | null = d.terminal ? { ...d.terminal } : null;
  return { ...d, terminal };
}
