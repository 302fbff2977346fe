// Realistic event logs, shaped as docs/protocol.md and the providers emit them: an allowed
// shell call, a denial with a message, an interrupt, automatic decisions, a terminal session.

import type { SessionEvent } from '../../src/state';

export const PHONE = 'q3V9x0aQm2Fh1cJe';
export const T0 = 1795467890000;

/** Appends events with consecutive seqs and times 100 ms apart. */
export class Log {
  readonly events: SessionEvent[] = [];
  constructor(readonly session = 's3fa9c01b2d4e') {}

  add(kind: string, data: Record<string, unknown> = {}): SessionEvent {
    const seq = this.events.length + 1;
    const e: SessionEvent = { session: this.session, seq, time: T0 + seq * 100, kind, data };
    this.events.push(e);
    return e;
  }
}

export const b64url = (s: string | Uint8Array): string => Buffer.from(s).toString('base64url');

/** Claude asks to run `ls`; the phone allows it once. */
export function allowFlow(log = new Log()): Log {
  log.add('status', { status: 'starting' });
  log.add('user_message', { text: 'list the files', by: PHONE });
  log.add('status', { status: 'running' });
  log.add('assistant_delta', { text: "I'll ", index: 0 });
  log.add('assistant_delta', { text: 'list them.', index: 0 });
  log.add('assistant_text', { text: "I'll list them.", message_id: 'msg_01' });
  log.add('tool_call', { tool_use_id: 'toolu_1', tool: 'Bash', input: { command: 'ls' } });
  log.add('approval_requested', {
    approval_id: 'a91c0d2e7b410',
    tool: 'Bash',
    tier: 'elevated',
    input: { command: 'ls' },
    cwd: '/home/me/proj',
    tool_use_id: 'toolu_1',
    expires: T0 + 600_000,
  });
  log.add('status', { status: 'waiting_for_approval' });
  log.add('approval_resolved', {
    approval_id: 'a91c0d2e7b410',
    decision: 'allow',
    scope: 'once',
    by: PHONE,
    tool_use_id: 'toolu_1',
    tool: 'Bash',
  });
  log.add('status', { status: 'running' });
  log.add('tool_result', { tool_use_id: 'toolu_1', content: 'README.md\nsrc\n', is_error: false });
  log.add('assistant_delta', { text: 'Two entries', index: 0 });
  log.add('assistant_delta', { text: ': README.md and src.', index: 0 });
  log.add('assistant_text', { text: 'Two entries: README.md and src.', message_id: 'msg_02' });
  log.add('usage', {
    input_tokens: 1200,
    output_tokens: 80,
    cache_read_input_tokens: 300,
    cache_creation_input_tokens: 40,
    cost_usd: 0.0123,
  });
  log.add('status', { status: 'idle' });
  return log;
}

/** The phone denies `rm -rf build` with a message; the model answers to it. */
export function denyFlow(log = new Log()): Log {
  log.add('user_message', { text: 'clean up', by: 'owner' });
  log.add('status', { status: 'running' });
  log.add('thinking', { text: 'The build directory can go.' });
  log.add('assistant_delta', { text: 'Removing build/.', index: 1 });
  log.add('assistant_text', { text: 'Removing build/.', message_id: 'msg_11' });
  log.add('tool_call', { tool_use_id: 'toolu_2', tool: 'Bash', input: { command: 'rm -rf build' } });
  log.add('approval_requested', {
    approval_id: 'a0000000000d1',
    tool: 'Bash',
    tier: 'elevated',
    input: { command: 'rm -rf build' },
    cwd: '/home/me/proj',
    tool_use_id: 'toolu_2',
    expires: T0 + 600_000,
  });
  log.add('status', { status: 'waiting_for_approval' });
  log.add('approval_resolved', {
    approval_id: 'a0000000000d1',
    decision: 'deny',
    scope: 'once',
    by: PHONE,
    tool_use_id: 'toolu_2',
    tool: 'Bash',
    message: 'keep build, run make clean instead',
  });
  log.add('status', { status: 'running' });
  log.add('tool_result', { tool_use_id: 'toolu_2', content: 'keep build, run make clean instead', is_error: true });
  log.add('assistant_text', { text: 'saw denial: keep build, run make clean instead', message_id: 'msg_12' });
  log.add('usage', { input_tokens: 900, output_tokens: 30, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, cost_usd: 0.01 });
  log.add('status', { status: 'idle', turn_error: false });
  return log;
}

/** A streaming answer and a pending question, cut short by session.interrupt. */
export function interruptFlow(log = new Log()): Log {
  log.add('user_message', { text: 'write a long essay', by: PHONE });
  log.add('status', { status: 'running' });
  log.add('assistant_delta', { text: 'Once upon', index: 0 });
  log.add('assistant_delta', { text: ' a time', index: 0 });
  log.add('tool_call', { tool_use_id: 'toolu_3', tool: 'Write', input: { file_path: '/home/me/proj/essay.md', content: '…' } });
  log.add('approval_requested', {
    approval_id: 'a0000000000e1',
    tool: 'Write',
    tier: 'standard',
    input: { file_path: '/home/me/proj/essay.md', content: '…' },
    cwd: '/home/me/proj',
    tool_use_id: 'toolu_3',
    expires: T0 + 600_000,
  });
  log.add('status', { status: 'waiting_for_approval' });
  log.add('approval_resolved', {
    approval_id: 'a0000000000e1',
    decision: 'deny',
    scope: 'once',
    by: 'agent',
    tool_use_id: 'toolu_3',
    tool: 'Write',
    message: 'the agent withdrew the question',
  });
  log.add('notice', { text: '[Request interrupted by user]' });
  log.add('usage', { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, cost_usd: 0.001 });
  log.add('status', { status: 'idle' });
  return log;
}

/** Mode edits: a Write allowed by the mode, a Bash denied by a stored rule, a crash at the end. */
export function automaticFlow(log = new Log()): Log {
  log.add('mode', { mode: 'edits', by: 'owner' });
  log.add('user_message', { text: 'fix the typo', by: 'owner' });
  log.add('status', { status: 'running' });
  // The decision can reach the log before the tool_call line.
  log.add('approval_resolved', {
    approval_id: null,
    tool: 'Edit',
    tier: 'standard',
    tool_use_id: 'toolu_4',
    decision: 'allow',
    by: 'mode:edits',
    automatic: true,
  });
  log.add('tool_call', { tool_use_id: 'toolu_4', tool: 'Edit', input: { file_path: 'a.md', old_string: 'teh', new_string: 'the' } });
  log.add('tool_result', { tool_use_id: 'toolu_4', content: 'The file a.md has been updated.', is_error: false });
  log.add('tool_call', { tool_use_id: 'toolu_5', tool: 'Bash', input: { command: 'git push --force' } });
  log.add('approval_resolved', {
    approval_id: null,
    tool: 'Bash',
    tier: 'elevated',
    tool_use_id: 'toolu_5',
    decision: 'deny',
    by: 'rule:3',
    automatic: true,
  });
  log.add('tool_result', { tool_use_id: 'toolu_5', content: 'tether denied Bash (rule:3)', is_error: true, truncated: false });
  log.add('raw', { line: { type: 'system', subtype: 'compact_boundary' } });
  log.add('error', { message: 'API Error: 529 overloaded' });
  log.add('status', { status: 'error', reason: 'claude exited with status 1' });
  return log;
}

/** A shell in a pseudo-terminal: output, a resize, more output, exit 0. */
export function terminalFlow(log = new Log('s7e2b44c0d9aa')): Log {
  log.add('status', { status: 'starting' });
  log.add('terminal_started', { command: ['/bin/bash', '-l'], cols: 80, rows: 24 });
  log.add('status', { status: 'running' });
  log.add('terminal_output', { data: b64url('me@box:~$ ') });
  log.add('terminal_output', { data: b64url('ls\r\nREADME.md  src\r\n') });
  log.add('terminal_resize', { cols: 120, rows: 40 });
  log.add('terminal_output', { data: b64url(new Uint8Array([0x1b, 0x5b, 0x48, 0xe2, 0x82, 0xac, 0x00, 0xff])) });
  log.add('status', { status: 'exited', code: 0 });
  return log;
}

/** All of the above, in one session, one after another. */
export function longSession(): Log {
  const log = new Log();
  allowFlow(log);
  denyFlow(log);
  interruptFlow(log);
  automaticFlow(log);
  return log;
}

/** Freezes a view (deeply) so a reducer that edits its input throws. */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v) && !ArrayBuffer.isView(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** A small seeded PRNG (mulberry32) for repeatable shuffles of batch sizes and overlaps. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
