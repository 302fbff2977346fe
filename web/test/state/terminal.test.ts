// Terminal sessions in the view: output decoded to bytes, resizes in stream order, the exit
// status, and the byte cap giving the same chunks however the events were batched.

import { describe, expect, it } from 'vitest';
import { applyEvent, applyEvents, emptySessionView, type SessionView, type TerminalChunk } from '../../src/state';
import { Log, b64url, terminalFlow } from './fixtures';

const enc = new TextEncoder();

function output(chunks: readonly TerminalChunk[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks.flatMap((c) => (c.kind === 'output' ? [c.data] : []))));
}

describe('terminal view', () => {
  const log = terminalFlow();
  const view = applyEvents(emptySessionView(log.session), log.events).view;

  it('decodes output and keeps resizes where they happened', () => {
    const t = view.terminal!;
    expect(t.command).toEqual(['/bin/bash', '-l']);
    expect([t.cols, t.rows]).toEqual([120, 40]);
    expect(t.chunks.map((c) => (c.kind === 'output' ? `out@${c.seq}` : `size ${c.cols}x${c.rows}@${c.seq}`))).toEqual([
      'size 80x24@2',
      'out@4',
      'out@5',
      'size 120x40@6',
      'out@7',
    ]);
    const tail = new Uint8Array([0x1b, 0x5b, 0x48, 0xe2, 0x82, 0xac, 0x00, 0xff]);
    const all = new Uint8Array([...enc.encode('me@box:~$ ls\r\nREADME.md  src\r\n'), ...tail]);
    expect(output(t.chunks)).toEqual(all);
    expect(t.bytes).toBe(all.length);
    expect(t.droppedBytes).toBe(0);
  });

  it('records the exit code', () => {
    expect(view.status).toMatchObject({ status: 'exited', code: 0 });
  });

  it('has no terminal for an agent session', () => {
    const l = new Log();
    l.add('user_message', { text: 'hi', by: 'owner' });
    expect(applyEvents(emptySessionView(l.session), l.events).view.terminal).toBeNull();
  });

  it('skips output that is not base64url, and empty output', () => {
    const l = new Log();
    l.add('terminal_output', { data: 'a+b/' });
    l.add('terminal_output', { data: '' });
    l.add('terminal_output', { data: b64url('ok') });
    const t = applyEvents(emptySessionView(l.session), l.events).view.terminal!;
    expect(t.chunks).toEqual([{ kind: 'output', seq: 3, data: enc.encode('ok') }]);
    // Output before terminal_started gets the default size.
    expect([t.cols, t.rows]).toEqual([80, 24]);
  });

  it('ignores a resize outside 1-1000', () => {
    const l = new Log();
    l.add('terminal_resize', { cols: 0, rows: 10 });
    l.add('terminal_resize', { cols: 10, rows: 1001 });
    l.add('terminal_resize', { cols: 1000, rows: 1 });
    const t = applyEvents(emptySessionView(l.session), l.events).view.terminal!;
    expect(t.chunks).toEqual([{ kind: 'resize', seq: 3, cols: 1000, rows: 1 }]);
  });
});

describe('terminal byte cap', () => {
  // 40 chunks of 10 bytes with a resize every 7 events, under a 95-byte cap.
  const log = new Log();
  log.add('terminal_started', { command: ['sh'], cols: 80, rows: 24 });
  for (let i = 0; i < 40; i++) {
    if (i % 7 === 3) log.add('terminal_resize', { cols: 80 + i, rows: 24 });
    log.add('terminal_output', { data: b64url(`chunk ${String(i).padStart(4, '0')}`) }); // 10 bytes
  }
  const opts = { maxTerminalBytes: 95 };

  it('drops the oldest output and keeps the size in force', () => {
    const t = applyEvents(emptySessionView(log.session), log.events, opts).view.terminal!;
    expect(t.bytes).toBe(90);
    expect(t.droppedBytes).toBe(310);
    expect(new TextDecoder().decode(output(t.chunks))).toBe(
      Array.from({ length: 9 }, (_, i) => `chunk ${String(31 + i).padStart(4, '0')}`).join(''),
    );
    // The resize at i=31 precedes chunk 31 itself; no stale size before it.
    expect(t.chunks[0]).toMatchObject({ kind: 'resize', cols: 80 + 31 });
    expect(t.chunks.filter((c) => c.kind === 'resize')).toHaveLength(2); // i=31 and i=38
  });

  it('gives the same chunks one event at a time as in one batch', () => {
    const once = applyEvents(emptySessionView(log.session), log.events, opts).view;
    let v: SessionView = emptySessionView(log.session);
    for (const e of log.events) v = applyEvent(v, e, opts).view;
    expect(v).toEqual(once);
    // And in batches of 3.
    let w: SessionView = emptySessionView(log.session);
    for (let i = 0; i < log.events.length; i += 3) w = applyEvents(w, log.events.slice(i, i + 3), opts).view;
    expect(w).toEqual(once);
  });

  it('re-inserts the size in force when the cut falls after a resize', () => {
    const l = new Log();
    l.add('terminal_started', { command: ['sh'], cols: 50, rows: 20 });
    l.add('terminal_output', { data: b64url('0123456789') });
    l.add('terminal_output', { data: b64url('abcdefghij') });
    const t = applyEvents(emptySessionView(l.session), l.events, { maxTerminalBytes: 15 }).view.terminal!;
    expect(t.chunks).toEqual([
      { kind: 'resize', seq: 1, cols: 50, rows: 20 },
      { kind: 'output', seq: 3, data: enc.encode('abcdefghij') },
    ]);
  });
});
