// The terminal screen's code (xterm.js) is a chunk of its own, fetched the first time a
// terminal session is opened, so the other screens never pay for it.

import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { SessionView } from '../state';
import type { AppModel } from './app';
import type { TerminalPanelProps } from './terminal_panel';

type Panel = (props: TerminalPanelProps) => preact.JSX.Element;

export function TerminalLoader(props: { model: AppModel; daemonId: string; view: SessionView; readOnly: boolean; live: boolean }) {
  const panel = useSignal<Panel | null>(null);
  const error = useSignal<string | null>(null);
  useEffect(() => {
    import('./terminal_panel').then(
      (m) => (panel.value = m.TerminalPanel),
      (e: unknown) => (error.value = `The terminal could not be loaded: ${e instanceof Error ? e.message : String(e)}`),
    );
  }, []);
  if (error.value)
    return (
      <p class="error" role="alert">
        {error.value}
      </p>
    );
  const P = panel.value;
  return P ? <P {...props} /> : <p class="center" role="status">Loading the terminal…</p>;
}
