// Tool cards: tool_call, tool_result, approval_requested and approval_resolved events folded
// into one card per tool use, whichever of them arrives first. Pure (edits a Draft only).

import { bool, num, obj, str } from './json_fields';
import type { ToolCard } from './session_view';
import type { Draft, EventContext } from './view_draft';

export function onToolCall(d: Draft, e: EventContext): void {
  const id = str(e.data, 'tool_use_id') || null;
  const card = upsert(d, id ?? `event:${e.seq}`, id, e);
  d.tools[card.key] = { ...card, tool: str(e.data, 'tool') ?? card.tool, input: obj(e.data, 'input') };
}

export function onToolResult(d: Draft, e: EventContext): void {
  const id = str(e.data, 'tool_use_id') || null;
  const card = upsert(d, id ?? `event:${e.seq}`, id, e);
  const content = e.data['content'];
  d.tools[card.key] = {
    ...card,
    result: {
      content: typeof content === 'string' ? content : content === undefined ? '' : JSON.stringify(content),
      isError: bool(e.data, 'is_error'),
      truncated: bool(e.data, 'truncated'),
      seq: e.seq,
    },
  };
}

export function onApprovalRequested(d: Draft, e: EventContext): void {
  const approvalId = str(e.data, 'approval_id');
  if (!approvalId) return; // nothing anyone could answer
  const id = str(e.data, 'tool_use_id') || null;
  const card = upsert(d, id ?? `approval:${approvalId}`, id, e);
  const tier = str(e.data, 'tier') ?? '';
  d.approvals[approvalId] = card.key;
  d.tools[card.key] = {
    ...card,
    tool: card.tool || (str(e.data, 'tool') ?? ''),
    input: Object.keys(card.input).length > 0 ? card.input : obj(e.data, 'input'),
    tier: tier || card.tier,
    approval: { state: 'pending', approvalId, tier, expires: num(e.data, 'expires'), seq: e.seq },
  };
}

export function onApprovalResolved(d: Draft, e: EventContext): void {
  const approvalId = str(e.data, 'approval_id') || null;
  const id = str(e.data, 'tool_use_id') || null;
  const known = approvalId !== null ? d.approvals[approvalId] : undefined;
  const key = known ?? id ?? (approvalId !== null ? `approval:${approvalId}` : `event:${e.seq}`);
  const card = upsert(d, key, id, e);
  if (approvalId !== null) d.approvals[approvalId] = key;
  d.tools[key] = {
    ...card,
    tool: card.tool || (str(e.data, 'tool') ?? ''),
    tier: card.tier ?? str(e.data, 'tier'),
    approval: {
      state: str(e.data, 'decision') === 'allow' ? 'allowed' : 'denied', // anything else fails closed
      approvalId,
      by: str(e.data, 'by') ?? '',
      scope: str(e.data, 'scope'),
      message: str(e.data, 'message'),
      automatic: bool(e.data, 'automatic'),
      seq: e.seq,
    },
  };
}

/** The card under key, made (and put on the timeline) when this is the first event about it. */
function upsert(d: Draft, key: string, toolUseId: string | null, e: EventContext): ToolCard {
  const existing = d.tools[key];
  if (existing) return existing;
  const card: ToolCard = {
    key,
    toolUseId,
    tool: '',
    input: {},
    tier: null,
    approval: null,
    result: null,
    seq: e.seq,
    time: e.time,
  };
  d.tools[key] = card;
  d.timeline.push({ kind: 'tool', key, seq: e.seq, time: e.time });
  return card;
}

export type ToolPhase = 'awaiting_approval' | 'denied' | 'running' | 'done' | 'failed';

/** Where a tool use stands, for a card's badge. */
export function toolPhase(card: ToolCard): ToolPhase {
  if (card.approval?.state === 'denied') return 'denied'; // its result, if any, is the refusal
  if (card.result) return card.result.isError ? 'failed' : 'done';
  if (card.approval?.state === 'pending') return 'awaiting_approval';
  return 'running';
}
