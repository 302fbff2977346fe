// Small shared pieces: the screen header, status badges, relative times.

import type { ComponentChildren } from 'preact';
import type { ConnState } from '../host/hosts';

export function Header({ title, back, children }: { title: string; back?: string; children?: ComponentChildren }) {
  return (
    <header class="header">
      {back && (
        <a class="back" href={back} aria-label="Back">
          ‹
        </a>
      )}
      <h1>{title}</h1>
      {children}
    </header>
  );
}

const CONN_LABEL: Record<ConnState, string> = {
  connecting: 'connecting',
  connected: 'connected',
  offline: 'offline',
  revoked: 'revoked',
};

export function ConnBadge({ state }: { state: ConnState }) {
  return <span class={`badge conn-${state}`}>{CONN_LABEL[state]}</span>;
}

export function StatusBadge({ status }: { status: string }) {
  const known = ['starting', 'running', 'waiting_for_approval', 'idle', 'exited', 'error'];
  const cls = known.includes(status) ? status : 'unknown';
  return <span class={`badge status-${cls}`}>{status.replaceAll('_', ' ')}</span>;
}

/** A failure to show, announced to screen readers; nothing when there is none. */
export function ErrorLine({ message }: { message: string | null | undefined }) {
  return message ? (
    <p class="error" role="alert">
      {message}
    </p>
  ) : null;
}

export function ago(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** The end of a long path is what tells directories apart: `…/src/app` rather than `/home/me/wo…`. */
export function shortPath(path: string, max = 32): string {
  if (path.length <= max) return path;
  const parts = path.split('/').filter(Boolean);
  let out = parts.pop() ?? path;
  while (parts.length && out.length + parts[parts.length - 1]!.length + 1 <= max - 2) out = `${parts.pop()}/${out}`;
  return `…/${out}`;
}
