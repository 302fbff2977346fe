// Public surface of the app's pure state: session views and the inbox, built from events.

export { type JsonObject } from './json_fields';
export { base64urlDecode } from './base64url';
export {
  type EventKind,
  type SessionEvent,
  type Overflow,
  parseSessionEvent,
  parseStoredEvent,
  parseOverflow,
} from './events';
export {
  type SessionStatus,
  type StatusInfo,
  type AssistantItem,
  type TimelineItem,
  type ApprovalState,
  type ToolResult,
  type ToolCard,
  type UsageTotals,
  type TerminalChunk,
  type TerminalView,
  type SessionView,
  ZERO_USAGE,
  emptySessionView,
  pendingApprovals,
} from './session_view';
export { type ApplyOptions, type ApplyResult, applyEvent, applyEvents } from './session_reducer';
export { type ToolPhase, toolPhase } from './tool_cards';
export { DEFAULT_TERMINAL_BYTES } from './terminal_reducer';
export { resume, resumeSince } from './resume';
export {
  type Inbox,
  type InboxEntry,
  EMPTY_INBOX,
  inboxApplyChange,
  inboxApplyEvent,
  inboxApplySnapshot,
  inboxRemove,
  inboxRemoveHost,
} from './inbox';
export {
  type SessionSummary,
  parseSessionSummary,
  sessionListFromSnapshot,
  sessionListApplyChange,
  recentDirectories,
} from './session_list';
