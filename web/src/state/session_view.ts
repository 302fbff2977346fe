// What a session looks like to the app, built from its event stream: timeline, tool cards,
// status, mode, usage, terminal. Types and the empty view only; the reducer is session_reducer.ts.

import type { JsonObject } from './json_fields';

export type SessionStatus = 'starting' | 'running' | 'waiting_for_approval' | 'idle' | 'exited' | 'error';

export interface StatusInfo {
  readonly status: SessionStatus;
  /** An exit code (exited) when the daemon gave one. */
  readonly code: number | null;
  readonly reason: string | null;
  /** The turn that just ended failed. */
  readonly turnError: boolean;
  readonly seq: number;
  readonly time: number;
}

interface Stamp {
  readonly seq: number;
  readonly time: number;
}

/** An assistant text block: streamed from deltas, then replaced by the final text; cut if it never came. */
export interface AssistantItem extends Stamp {
  readonly kind: 'assistant';
  readonly text: string;
  readonly state: 'streaming' | 'final' | 'cut';
  /** The delta index it was streamed under, while streaming. */
  readonly index: number | null;
  readonly messageId: string | null;
}

export type TimelineItem =
  | (Stamp & { readonly kind: 'user'; readonly text: string; readonly by: string })
  | AssistantItem
  | (Stamp & { readonly kind: 'thinking'; readonly text: string })
  /** A tool card, in ToolCards under this key. */
  | (Stamp & { readonly kind: 'tool'; readonly key: string })
  | (Stamp & { readonly kind: 'notice'; readonly text: string })
  | (Stamp & { readonly kind: 'error'; readonly message: string; readonly line: string | null });

export type ApprovalState =
  | {
      readonly state: 'pending';
      readonly approvalId: string;
      readonly tier: string;
      /** Unix ms after which the daemon denies it. */
      readonly expires: number | null;
      readonly seq: number;
    }
  | {
      readonly state: 'allowed' | 'denied';
      /** null for automatic decisions, which have no approval. */
      readonly approvalId: string | null;
      /** A device id, owner, rule:<id>, mode:edits, mode:auto, tier:safe, session, timeout, … */
      readonly by: string;
      readonly scope: string | null;
      /** What the model is told on a deny. */
      readonly message: string | null;
      /** Decided by a rule, grant, mode or tier, without asking anyone. */
      readonly automatic: boolean;
      readonly seq: number;
    };

export interface ToolResult {
  readonly content: string;
  readonly isError: boolean;
  readonly truncated: boolean;
  readonly seq: number;
}

export interface ToolCard {
  /** tool_use_id; or approval:<id> / event:<seq> for an approval with no tool_use_id. */
  readonly key: string;
  readonly toolUseId: string | null;
  readonly tool: string;
  readonly input: JsonObject;
  readonly tier: string | null;
  readonly approval: ApprovalState | null;
  readonly result: ToolResult | null;
  readonly seq: number;
  readonly time: number;
}

export interface UsageTotals {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadInputTokens: number;
  readonly cacheCreationInputTokens: number;
  readonly costUsd: number;
  /** usage events summed (one per turn). */
  readonly reports: number;
}

export type TerminalChunk =
  | { readonly kind: 'output'; readonly seq: number; readonly data: Uint8Array }
  | { readonly kind: 'resize'; readonly seq: number; readonly cols: number; readonly rows: number };

/** A terminal session's screen as a byte stream: write the chunks in order (by seq) to a terminal. */
export interface TerminalView {
  readonly command: readonly string[];
  readonly cols: number;
  readonly rows: number;
  readonly chunks: readonly TerminalChunk[];
  /** Output bytes held in chunks. */
  readonly bytes: number;
  /** Output bytes dropped from the front to stay under the cap. */
  readonly droppedBytes: number;
}

export interface SessionView {
  readonly session: string;
  /** The last event applied; subscribe with since = lastSeq to continue. */
  readonly lastSeq: number;
  readonly timeline: readonly TimelineItem[];
  readonly tools: Readonly<Record<string, ToolCard>>;
  /** approval id → tool card key, for every approval seen. */
  readonly approvals: Readonly<Record<string, string>>;
  readonly status: StatusInfo | null;
  readonly mode: { readonly mode: string; readonly by: string; readonly seq: number } | null;
  readonly usage: UsageTotals;
  readonly lastError: { readonly message: string; readonly seq: number } | null;
  readonly terminal: TerminalView | null;
}

export const ZERO_USAGE: UsageTotals = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadInputTokens: 0,
  cacheCreationInputTokens: 0,
  costUsd: 0,
  reports: 0,
};

export function emptySessionView(session: string): SessionView {
  return {
    session,
    lastSeq: 0,
    timeline: [],
    tools: {},
    approvals: {},
    status: null,
    mode: null,
    usage: ZERO_USAGE,
    lastError: null,
    terminal: null,
  };
}

/** Tool cards waiting for an answer, oldest first. */
export function pendingApprovals(view: SessionView): ToolCard[] {
  return Object.values(view.tools)
    .filter((c) => c.approval?.state === 'pending')
    .sort((a, b) => (a.approval?.seq ?? a.seq) - (b.approval?.seq ?? b.seq));
}
