// The SessionView reducer: events in seq order in, a new view out. Duplicates (seq <= lastSeq)
// are skipped; a gap (seq > lastSeq + 1) stops the batch with needResync, and the caller
// subscribes again with since = view.lastSeq. Pure: the view passed in is never changed.

import type { SessionEvent } from './events';
import { bool, num, str } from './json_fields';
import type { AssistantItem, SessionStatus, SessionView } from './session_view';
import { DEFAULT_TERMINAL_BYTES, onTerminalOutput, onTerminalResize, onTerminalStarted, trimTerminal } from './terminal_reducer';
import { onApprovalRequested, onApprovalResolved, onToolCall, onToolResult } from './tool_cards';
import { freeze, thaw, type Draft, type EventContext } from './view_draft';

export interface ApplyOptions {
  /** Terminal output kept in the view; default 8 MiB. */
  readonly maxTerminalBytes?: number;
}

export interface ApplyResult {
  /** The same object as the input when nothing was applied. */
  readonly view: SessionView;
  /** An event came after a gap: subscribe again with since = view.lastSeq. */
  readonly needResync: boolean;
  /** Events applied (duplicates and other sessions' events are not). */
  readonly applied: number;
}

export function applyEvent(view: SessionView, event: SessionEvent, options?: ApplyOptions): ApplyResult {
  return applyEvents(view, [event], options);
}

export function applyEvents(view: SessionView, events: Iterable<SessionEvent>, options: ApplyOptions = {}): ApplyResult {
  let draft: Draft | null = null;
  let applied = 0;
  let needResync = false;
  for (const e of events) {
    if (e.session !== view.session) continue;
    const lastSeq = draft ? draft.lastSeq : view.lastSeq;
    if (e.seq <= lastSeq) continue;
    if (e.seq !== lastSeq + 1) {
      needResync = true;
      break;
    }
    draft ??= thaw(view);
    reduce(draft, e);
    draft.lastSeq = e.seq;
    applied++;
  }
  if (!draft) return { view, needResync, applied };
  if (draft.terminal) trimTerminal(draft.terminal, options.maxTerminalBytes ?? DEFAULT_TERMINAL_BYTES);
  return { view: freeze(draft), needResync, applied };
}

const STATUSES: ReadonlySet<string> = new Set<SessionStatus>([
  'starting',
  'running',
  'waiting_for_approval',
  'idle',
  'exited',
  'error',
]);

function reduce(d: Draft, event: SessionEvent): void {
  const e: EventContext = { seq: event.seq, time: event.time, data: event.data };
  const text = () => str(e.data, 'text') ?? '';
  switch (event.kind) {
    case 'user_message':
      d.timeline.push({ kind: 'user', seq: e.seq, time: e.time, text: text(), by: str(e.data, 'by') ?? '' });
      return;
    case 'assistant_delta':
      return onDelta(d, e);
    case 'assistant_text':
      return onFinalText(d, e);
    case 'thinking':
      d.timeline.push({ kind: 'thinking', seq: e.seq, time: e.time, text: text() });
      return;
    case 'tool_call':
      return onToolCall(d, e);
    case 'tool_result':
      return onToolResult(d, e);
    case 'approval_requested':
      return onApprovalRequested(d, e);
    case 'approval_resolved':
      return onApprovalResolved(d, e);
    case 'status':
      return onStatus(d, e);
    case 'usage':
      return onUsage(d, e);
    case 'mode': {
      const mode = str(e.data, 'mode');
      if (mode) d.mode = { mode, by: str(e.data, 'by') ?? '', seq: e.seq };
      return;
    }
    case 'notice':
      d.timeline.push({ kind: 'notice', seq: e.seq, time: e.time, text: text() });
      return;
    case 'error': {
      const message = str(e.data, 'message') ?? '';
      d.timeline.push({ kind: 'error', seq: e.seq, time: e.time, message, line: str(e.data, 'line') });
      d.lastError = { message, seq: e.seq };
      return;
    }
    case 'terminal_started':
      return onTerminalStarted(d, e);
    case 'terminal_output':
      return onTerminalOutput(d, e);
    case 'terminal_resize':
      return onTerminalResize(d, e);
    default:
      return; // raw, and kinds this client does not know: they only take their seq
  }
}

/** A delta extends the streaming block of its index, or starts one. */
function onDelta(d: Draft, e: EventContext): void {
  const index = num(e.data, 'index') ?? 0;
  const text = str(e.data, 'text') ?? '';
  for (let i = d.timeline.length - 1; i >= 0; i--) {
    const item = d.timeline[i]!;
    if (item.kind === 'assistant' && item.state === 'streaming' && item.index === index) {
      d.timeline[i] = { ...item, text: item.text + text };
      return;
    }
  }
  d.timeline.push({ kind: 'assistant', seq: e.seq, time: e.time, text, state: 'streaming', index, messageId: null });
}

/** The finished block replaces the oldest block still streaming (blocks finish in order), in place. */
function onFinalText(d: Draft, e: EventContext): void {
  const text = str(e.data, 'text') ?? '';
  const messageId = str(e.data, 'message_id');
  const at = d.timeline.findIndex((it) => it.kind === 'assistant' && it.state === 'streaming');
  const open = d.timeline[at];
  if (open?.kind === 'assistant') {
    d.timeline[at] = { ...open, text, state: 'final', messageId };
  } else {
    d.timeline.push({ kind: 'assistant', seq: e.seq, time: e.time, text, state: 'final', index: null, messageId });
  }
}

function onStatus(d: Draft, e: EventContext): void {
  const status = str(e.data, 'status');
  if (status === null || !STATUSES.has(status)) return;
  d.status = {
    status: status as SessionStatus,
    code: num(e.data, 'code'),
    reason: str(e.data, 'reason'),
    turnError: bool(e.data, 'turn_error'),
    seq: e.seq,
    time: e.time,
  };
  // The turn is over: a block still streaming will not be finished (an interrupt, a crash).
  if (status === 'idle' || status === 'exited' || status === 'error') cutStreaming(d);
}

function cutStreaming(d: Draft): void {
  d.timeline.forEach((item, i) => {
    if (item.kind === 'assistant' && item.state === 'streaming') {
      const cut: AssistantItem = { ...item, state: 'cut' };
      d.timeline[i] = cut;
    }
  });
}

function onUsage(d: Draft, e: EventContext): void {
  const n = (key: string) => num(e.data, key) ?? 0;
  const u = d.usage;
  d.usage = {
    inputTokens: u.inputTokens + n('input_tokens'),
    outputTokens: u.outputTokens + n('output_tokens'),
    cacheReadInputTokens: u.cacheReadInputTokens + n('cache_read_input_tokens'),
    cacheCreationInputTokens: u.cacheCreationInputTokens + n('cache_creation_input_tokens'),
    costUsd: u.costUsd + n('cost_usd'),
    reports: u.reports + 1,
  };
}
