// A terminal session in xterm.js: the stored output replayed, then live; keystrokes go to
// terminal.input, the size to terminal.resize; a key row gives a phone Esc, Tab, Ctrl and the
// arrows. Loaded on demand (terminal_loader.tsx): xterm is the app's largest dependency.

import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { SessionView } from '../state';
import type { AppModel } from './app';
import { READ_ONLY_REASON } from './approval_card';
import { bridgeInlineStyles } from './csp_styles';
import './terminal_panel.css';
import { ErrorLine } from './widgets';

export interface TerminalPanelProps {
  readonly model: AppModel;
  readonly daemonId: string;
  readonly view: SessionView;
  readonly readOnly: boolean;
  /** Connected and the program still running: input and resizes are sent. */
  readonly live: boolean;
}

const KEYS: readonly { label: string; name: string; seq: string }[] = [
  { label: 'Esc', name: 'Esc', seq: '\x1b' },
  { label: 'Tab', name: 'Tab', seq: '\t' },
  { label: '↑', name: 'Up arrow', seq: '\x1b[A' },
  { label: '↓', name: 'Down arrow', seq: '\x1b[B' },
  { label: '←', name: 'Left arrow', seq: '\x1b[D' },
  { label: '→', name: 'Right arrow', seq: '\x1b[C' },
];

/** With Ctrl held: a letter (or one of @[\]^_) becomes its control code; anything else is unchanged. */
export function withCtrl(data: string): string {
  if (data.length !== 1) return data;
  const c = data.toUpperCase().charCodeAt(0);
  return c >= 0x40 && c <= 0x5f ? String.fromCharCode(c & 0x1f) : data;
}

interface Live {
  term: Terminal;
  fit: FitAddon;
  /** The last chunk seq written to the terminal. */
  written: number;
}

export function TerminalPanel({ model, daemonId, view, readOnly, live }: TerminalPanelProps) {
  const box = useRef<HTMLDivElement>(null);
  const t = useRef<Live | null>(null);
  const ctrl = useSignal(false);
  const error = useSignal<string | null>(null);
  const canType = !readOnly && live;
  const session = view.session;

  // The terminal's handlers are made once; they read the current props through these.
  const canTypeRef = useRef(canType);
  canTypeRef.current = canType;
  const ctrlRef = useRef(false);
  ctrlRef.current = ctrl.value;
  const send = (data: string) => {
    if (!canTypeRef.current) return;
    void model.hosts.call(daemonId, 'terminal.input', { session, data }).then((r) => {
      error.value = r.ok ? null : r.error.message;
    });
  };

  useEffect(() => {
    const release = bridgeInlineStyles();
    const term = new Terminal({
      convertEol: false,
      cursorBlink: true,
      fontSize: 14,
      fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace",
      scrollback: 5000,
      screenReaderMode: false,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(box.current!);
    t.current = { term, fit, written: 0 };
    const sub = term.onData((data) => {
      if (ctrlRef.current) {
        ctrl.value = false;
        data = withCtrl(data);
      }
      send(data);
    });
    return () => {
      sub.dispose();
      term.dispose();
      t.current = null;
      release();
    };
  }, []);

  // Stored and live output, in seq order, each chunk once.
  useEffect(() => {
    const l = t.current;
    const tv = view.terminal;
    if (!l || !tv) return;
    for (const c of tv.chunks) {
      if (c.seq <= l.written) continue;
      if (c.kind === 'output') l.term.write(c.data);
      else l.term.resize(c.cols, c.rows);
      l.written = c.seq;
    }
    if (l.term.cols !== tv.cols || l.term.rows !== tv.rows) l.term.resize(tv.cols, tv.rows);
  }, [view]);

  const fitToScreen = () => {
    const l = t.current;
    const dims = l?.fit.proposeDimensions();
    if (!l || !dims || !canType) return;
    void model.hosts.call(daemonId, 'terminal.resize', { session, cols: Math.max(20, dims.cols), rows: Math.max(5, dims.rows) }).then((r) => {
      error.value = r.ok ? null : r.error.message;
    });
  };

  const tv = view.terminal;
  return (
    <section class="terminal" aria-label="Terminal">
      {tv && tv.command.length > 0 && <p class="note id">{tv.command.join(' ')}</p>}
      {tv && tv.droppedBytes > 0 && <p class="note">Earlier output ({tv.droppedBytes} bytes) is not kept in this view.</p>}
      <div class="terminal-box" ref={box} data-testid="terminal" />
      {readOnly && <p class="note">{READ_ONLY_REASON}</p>}
      <ErrorLine message={error.value} />
      <div class="key-row" role="toolbar" aria-label="Special keys">
        <button
          type="button"
          class={`key${ctrl.value ? ' key-on' : ''}`}
          aria-pressed={ctrl.value}
          disabled={!canType}
          onClick={() => {
            ctrl.value = !ctrl.value;
            t.current?.term.focus();
          }}
        >
          Ctrl
        </button>
        {KEYS.map((k) => (
          <button
            key={k.name}
            type="button"
            class="key"
            aria-label={k.name === k.label ? undefined : k.name}
            disabled={!canType}
            onClick={() => {
              send(k.seq);
              t.current?.term.focus();
            }}
          >
            {k.label}
          </button>
        ))}
        <button type="button" class="key" disabled={!canType} onClick={fitToScreen}>
          Fit
        </button>
      </div>
    </section>
  );
}
