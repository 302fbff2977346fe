// The SessionView reducer on realistic logs: streaming text, tool cards and their approvals
// (allowed, denied with a message, withdrawn, automatic), status, mode, usage, errors; the
// seq rules (duplicates skipped, gaps refused); and no edits to the view passed in.

import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  applyEvents,
  emptySessionView,
  pendingApprovals,
  toolPhase,
  type AssistantItem,
  type SessionEvent,
  type SessionView,
  type TimelineItem,
} from '../../src/state';
import { Log, PHONE, T0, allowFlow, automaticFlow, deepFreeze, denyFlow, interruptFlow, longSession } from './fixtures';

function build(events: readonly SessionEvent[], session = events[0]?.session ?? 's3fa9c01b2d4e'): SessionView {
  const r = applyEvents(emptySessionView(session), events);
  expect(r.needResync).toBe(false);
  return r.view;
}

/** One event at a time, freezing every intermediate view. */
function buildStepwise(events: readonly SessionEvent[]): SessionView[] {
  const first = events[0];
  if (!first) throw new Error('no events');
  const views: SessionView[] = [];
  let v = deepFreeze(emptySessionView(first.session));
  for (const e of events) {
    const r = applyEvent(v, e);
    expect(r).toMatchObject({ needResync: false, applied: 1 });
    v = deepFreeze(r.view);
    views.push(v);
  }
  return views;
}

const kinds = (t: readonly TimelineItem[]) => t.map((i) => i.kind);
const assistant = (t: readonly TimelineItem[]) => t.filter((i): i is AssistantItem => i.kind === 'assistant');

describe('SessionView from an allow flow', () => {
  const log = allowFlow();
  const view = build(log.events);

  it('keeps lastSeq and the final status', () => {
    expect(view.lastSeq).toBe(17);
    expect(view.status).toEqual({ status: 'idle', code: null, reason: null, turnError: false, seq: 17, time: T0 + 1700 });
  });

  it('lays out the timeline in event order', () => {
    expect(kinds(view.timeline)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(view.timeline[0]).toEqual({ kind: 'user', seq: 2, time: T0 + 200, text: 'list the files', by: PHONE });
  });

  it('assembles deltas, then replaces them with the final text in place', () => {
    const steps = buildStepwise(log.events);
    expect(assistant(steps[3]!.timeline)).toEqual([
      { kind: 'assistant', seq: 4, time: T0 + 400, text: "I'll ", state: 'streaming', index: 0, messageId: null },
    ]);
    expect(assistant(steps[4]!.timeline)[0]!.text).toBe("I'll list them.");
    expect(assistant(steps[5]!.timeline)).toEqual([
      { kind: 'assistant', seq: 4, time: T0 + 400, text: "I'll list them.", state: 'final', index: 0, messageId: 'msg_01' },
    ]);
    // The second block starts a new item although its index is 0 again.
    expect(assistant(steps[13]!.timeline).map((a) => [a.text, a.state])).toEqual([
      ["I'll list them.", 'final'],
      ['Two entries: README.md and src.', 'streaming'],
    ]);
    expect(assistant(view.timeline).map((a) => [a.text, a.state, a.messageId])).toEqual([
      ["I'll list them.", 'final', 'msg_01'],
      ['Two entries: README.md and src.', 'final', 'msg_02'],
    ]);
  });

  it('shows the card pending, then allowed by the phone, then done', () => {
    const steps = buildStepwise(log.events);
    const pending = steps[8]!;
    expect(pending.status?.status).toBe('waiting_for_approval');
    expect(pending.tools['toolu_1']!.approval).toEqual({
      state: 'pending',
      approvalId: 'a91c0d2e7b410',
      tier: 'elevated',
      expires: T0 + 600_000,
      seq: 8,
    });
    expect(pendingApprovals(pending).map((c) => c.key)).toEqual(['toolu_1']);
    expect(toolPhase(pending.tools['toolu_1']!)).toBe('awaiting_approval');
    expect(toolPhase(steps[10]!.tools['toolu_1']!)).toBe('running');

    expect(view.tools['toolu_1']).toEqual({
      key: 'toolu_1',
      toolUseId: 'toolu_1',
      tool: 'Bash',
      input: { command: 'ls' },
      tier: 'elevated',
      approval: {
        state: 'allowed',
        approvalId: 'a91c0d2e7b410',
        by: PHONE,
        scope: 'once',
        message: null,
        automatic: false,
        seq: 10,
      },
      result: { content: 'README.md\nsrc\n', isError: false, truncated: false, seq: 12 },
      seq: 7,
      time: T0 + 700,
    });
    expect(view.approvals).toEqual({ a91c0d2e7b410: 'toolu_1' });
    expect(pendingApprovals(view)).toEqual([]);
    expect(toolPhase(view.tools['toolu_1']!)).toBe('done');
  });

  it('sums usage', () => {
    expect(view.usage).toEqual({
      inputTokens: 1200,
      outputTokens: 80,
      cacheReadInputTokens: 300,
      cacheCreationInputTokens: 40,
      costUsd: 0.0123,
      reports: 1,
    });
  });
});

describe('SessionView from a deny flow', () => {
  const view = build(denyFlow().events);

  it('records who denied and the message the model was told', () => {
    const card = view.tools['toolu_2']!;
    expect(card.approval).toMatchObject({
      state: 'denied',
      approvalId: 'a0000000000d1',
      by: PHONE,
      scope: 'once',
      message: 'keep build, run make clean instead',
      automatic: false,
    });
    expect(card.result).toMatchObject({ isError: true, content: 'keep build, run make clean instead' });
    expect(toolPhase(card)).toBe('denied');
  });

  it('keeps thinking, and a final text without deltas as its own item', () => {
    expect(kinds(view.timeline)).toEqual(['user', 'thinking', 'assistant', 'tool', 'assistant']);
    expect(view.timeline[1]).toMatchObject({ kind: 'thinking', text: 'The build directory can go.' });
    expect(assistant(view.timeline).map((a) => [a.text, a.state, a.index])).toEqual([
      ['Removing build/.', 'final', 1],
      ['saw denial: keep build, run make clean instead', 'final', null],
    ]);
  });
});

describe('SessionView from an interrupt', () => {
  const view = build(interruptFlow().events);

  it('cuts the text that never got its final block', () => {
    expect(assistant(view.timeline)).toEqual([
      expect.objectContaining({ text: 'Once upon a time', state: 'cut' }),
    ]);
  });

  it('shows the withdrawn question as denied by the agent', () => {
    expect(view.tools['toolu_3']!.approval).toMatchObject({ state: 'denied', by: 'agent', automatic: false });
    expect(pendingApprovals(view)).toEqual([]);
  });

  it('keeps the CLI notice in the timeline', () => {
    expect(view.timeline.filter((i) => i.kind === 'notice')).toEqual([
      { kind: 'notice', seq: 9, time: T0 + 900, text: '[Request interrupted by user]' },
    ]);
    expect(view.status?.status).toBe('idle');
  });

  it('a final block after the cut does not overwrite the cut text', () => {
    const log = interruptFlow();
    log.add('user_message', { text: 'go on', by: PHONE });
    log.add('assistant_text', { text: 'Fine.', message_id: 'msg_x' });
    const v = build(log.events);
    expect(assistant(v.timeline).map((a) => [a.text, a.state])).toEqual([
      ['Once upon a time', 'cut'],
      ['Fine.', 'final'],
    ]);
  });
});

describe('SessionView from automatic decisions', () => {
  const view = build(automaticFlow().events);

  it('tracks the mode', () => {
    expect(view.mode).toEqual({ mode: 'edits', by: 'owner', seq: 1 });
  });

  it('makes one card when the decision comes before the tool call', () => {
    expect(view.timeline.filter((i) => i.kind === 'tool').map((i) => (i.kind === 'tool' ? i.key : ''))).toEqual([
      'toolu_4',
      'toolu_5',
    ]);
    expect(view.tools['toolu_4']).toMatchObject({
      tool: 'Edit',
      tier: 'standard',
      input: { file_path: 'a.md', old_string: 'teh', new_string: 'the' },
      approval: { state: 'allowed', approvalId: null, by: 'mode:edits', automatic: true },
      result: { isError: false },
      seq: 4,
    });
    expect(view.approvals).toEqual({});
  });

  it('shows a rule denial as automatic', () => {
    expect(view.tools['toolu_5']!.approval).toMatchObject({ state: 'denied', by: 'rule:3', automatic: true, message: null });
    expect(toolPhase(view.tools['toolu_5']!)).toBe('denied');
  });

  it('keeps errors and the error status; raw takes only its seq', () => {
    expect(view.lastError).toEqual({ message: 'API Error: 529 overloaded', seq: 11 });
    expect(view.timeline.at(-1)).toEqual({ kind: 'error', seq: 11, time: T0 + 1100, message: 'API Error: 529 overloaded', line: null });
    expect(view.status).toMatchObject({ status: 'error', reason: 'claude exited with status 1', seq: 12 });
    expect(view.lastSeq).toBe(12);
  });
});

describe('SessionView details', () => {
  it('sums usage over turns', () => {
    const v = build(longSession().events);
    expect(v.usage.reports).toBe(3);
    expect(v.usage.inputTokens).toBe(1200 + 900 + 10);
    expect(v.usage.costUsd).toBeCloseTo(0.0123 + 0.01 + 0.001, 10);
  });

  it('keeps an exit code, a reason and a failed turn', () => {
    const log = new Log();
    log.add('status', { status: 'idle', turn_error: true });
    expect(build(log.events).status).toMatchObject({ status: 'idle', turnError: true });
    log.add('status', { status: 'exited', code: 137, reason: 'killed' });
    expect(build(log.events).status).toMatchObject({ status: 'exited', code: 137, reason: 'killed', turnError: false });
    log.add('status', { status: 'napping' }); // unknown: ignored, but the seq is taken
    const v = build(log.events);
    expect(v.status?.status).toBe('exited');
    expect(v.lastSeq).toBe(3);
  });

  it('streams two blocks at once and finishes them in order', () => {
    const log = new Log();
    log.add('assistant_delta', { text: 'A1', index: 0 });
    log.add('assistant_delta', { text: 'B1', index: 1 });
    log.add('assistant_delta', { text: 'A2', index: 0 });
    log.add('assistant_text', { text: 'A1A2', message_id: 'm' });
    log.add('assistant_delta', { text: 'B2', index: 1 });
    const mid = build(log.events);
    expect(assistant(mid.timeline).map((a) => [a.text, a.state])).toEqual([
      ['A1A2', 'final'],
      ['B1B2', 'streaming'],
    ]);
    log.add('assistant_text', { text: 'B1B2', message_id: 'm' });
    expect(assistant(build(log.events).timeline).every((a) => a.state === 'final')).toBe(true);
  });

  it('resolves an approval that names no tool_use_id through its approval id (daemon restart)', () => {
    const log = allowFlow();
    log.events.length = 9; // the question is pending when the daemon dies
    log.add('approval_resolved', {
      approval_id: 'a91c0d2e7b410',
      tool: 'Bash',
      decision: 'deny',
      by: 'daemon_stop',
      message: 'the daemon stopped before anyone answered',
    });
    log.add('status', { status: 'exited', reason: 'the daemon restarted; the next prompt resumes' });
    const v = build(log.events);
    expect(Object.keys(v.tools)).toEqual(['toolu_1']);
    expect(v.tools['toolu_1']!.approval).toMatchObject({ state: 'denied', by: 'daemon_stop', scope: null });
  });

  it('gives a question without a tool_use_id a card of its own', () => {
    const log = new Log();
    log.add('approval_requested', { approval_id: 'a1', tool: 'mcp__x__y', tier: 'unknown', input: { q: 1 }, cwd: '/p', tool_use_id: '', expires: 5 });
    log.add('approval_resolved', { approval_id: 'a1', decision: 'allow', scope: 'session', by: 'owner', tool_use_id: '' });
    const v = build(log.events);
    expect(Object.keys(v.tools)).toEqual(['approval:a1']);
    expect(v.tools['approval:a1']).toMatchObject({
      toolUseId: null,
      tool: 'mcp__x__y',
      input: { q: 1 },
      approval: { state: 'allowed', scope: 'session', by: 'owner' },
    });
  });

  it('does not count a decision it cannot read as an allow', () => {
    const log = new Log();
    log.add('approval_resolved', { approval_id: 'a1', decision: 'maybe', by: 'owner', tool_use_id: 't' });
    expect(build(log.events).tools['t']!.approval?.state).toBe('denied');
  });
});

describe('SessionView seq rules', () => {
  const log = allowFlow();

  it('ignores duplicates and returns the same view', () => {
    const v = build(log.events.slice(0, 5));
    for (const e of log.events.slice(0, 5)) {
      const r = applyEvent(v, e);
      expect(r).toEqual({ view: v, needResync: false, applied: 0 });
      expect(r.view).toBe(v);
    }
    expect(applyEvents(v, log.events.slice(0, 5)).view).toBe(v);
  });

  it('refuses a gap: needResync, view unchanged', () => {
    const v = build(log.events.slice(0, 5));
    const r = applyEvent(v, log.events[6]!);
    expect(r.needResync).toBe(true);
    expect(r.applied).toBe(0);
    expect(r.view).toBe(v);
    expect(applyEvent(emptySessionView(log.session), log.events[1]!)).toMatchObject({ needResync: true, applied: 0 });
  });

  it('applies a batch up to its gap', () => {
    const v = build(log.events.slice(0, 5));
    const r = applyEvents(v, [log.events[5]!, log.events[6]!, log.events[8]!, log.events[9]!]);
    expect(r.needResync).toBe(true);
    expect(r.applied).toBe(2);
    expect(r.view.lastSeq).toBe(7);
    expect(r.view).toEqual(build(log.events.slice(0, 7)));
  });

  it("ignores another session's events", () => {
    const v = emptySessionView('s-other');
    const r = applyEvents(v, log.events);
    expect(r).toEqual({ view: v, needResync: false, applied: 0 });
  });

  it('takes the seq of kinds it does not know', () => {
    const l = new Log();
    l.add('future_kind', { anything: [1, 2] });
    l.add('raw', { line: 'x' });
    const v = build(l.events);
    expect(v.lastSeq).toBe(2);
    expect(v.timeline).toEqual([]);
  });

  it('never edits the view passed in (every step frozen)', () => {
    expect(() => buildStepwise(longSession().events)).not.toThrow();
  });

  it('one batch and one event at a time give the same view', () => {
    const events = longSession().events;
    expect(buildStepwise(events).at(-1)).toEqual(build(events));
  });
});

describe('SessionView on malformed data', () => {
  const kindsToTry = [
    'user_message', 'assistant_delta', 'assistant_text', 'thinking', 'tool_call', 'tool_result',
    'approval_requested', 'approval_resolved', 'status', 'usage', 'mode', 'notice', 'error',
    'raw', 'terminal_started', 'terminal_output', 'terminal_resize',
  ];
  const datas: Record<string, unknown>[] = [
    {},
    { text: 5, index: 'x', message_id: [], tool_use_id: 7, tool: null, input: 'str', content: { a: 1 } },
    { approval_id: 5, decision: 1, by: {}, status: 3, code: 'x', mode: 1, cols: -1, rows: 1e9, data: '!!!', command: 'sh' },
    { input_tokens: 'many', cost_usd: Infinity, data: 'a', cols: 1.5, rows: 2 },
  ];

  it('never throws and always advances lastSeq', () => {
    const log = new Log();
    for (const d of datas) for (const k of kindsToTry) log.add(k, d);
    const v = build(log.events);
    expect(v.lastSeq).toBe(log.events.length);
    expect(Number.isFinite(v.usage.costUsd)).toBe(true);
    expect(v.usage.inputTokens).toBe(0);
    expect(v.status).toBeNull();
    expect(v.mode).toBeNull();
    // A tool_result whose content is not text still shows something.
    expect(Object.values(v.tools).some((c) => c.result?.content === '{"a":1}')).toBe(true);
  });
});
