// One session, live: the timeline (Markdown text, tool cards with their arguments, diffs and
// results, approval cards), the prompt box, interrupt / stop, and the mode switch. A terminal
// session shows its terminal instead (loaded on demand).

import { useSignal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { SessionFollower } from '../host/follow';
import { Markdown, ToolInput, toolSummary } from '../render';
import { toolPhase, type SessionView, type TimelineItem, type ToolCard } from '../state';
import type { AppModel } from './app';
import { ApprovalCard, READ_ONLY_REASON } from './approval_card';
import { hrefFor } from './route';
import { TerminalLoader } from './terminal_loader';
import { ConnBadge, ErrorLine, Header, StatusBadge } from './widgets';

const MODES = [
  { mode: 'ask', label: 'Ask', hint: 'ask before any change' },
  { mode: 'edits', label: 'Edits', hint: 'file edits allowed, commands ask' },
  { mode: 'auto', label: 'Auto', hint: 'everything allowed' },
] as const;

export function SessionScreen({ model, daemonId, sessionId }: { model: AppModel; daemonId: string; sessionId: string }) {
  const follower = useMemo(() => new SessionFollower(model.hosts, daemonId, sessionId), [model, daemonId, sessionId]);
  useEffect(() => () => follower.stop(), [follower]);
  const host = model.hosts.get(daemonId);
  const status = model.hosts.statusOf(daemonId);
  const summary = model.live.sessions.value.get(daemonId)?.find((s) => s.id === sessionId);
  const view = follower.view.value;
  const sync = follower.sync.value;
  const readOnly = (status.mode ?? host?.mode) === 'read_only';
  const connected = status.state === 'connected';
  const sessionStatus = view.status?.status ?? summary?.status ?? 'unknown';
  const isTerminal = summary?.provider === 'terminal' || view.terminal !== null;
  const firstPrompt = view.timeline.find((i) => i.kind === 'user');
  const title = summary?.name || (firstPrompt?.kind === 'user' ? firstPrompt.text.split('\n')[0]!.slice(0, 60) : '') || sessionId;

  return (
    <main class={`screen session${isTerminal ? ' terminal-screen' : ''}`}>
      <Header title={title} back={hrefFor({ screen: 'sessions', daemonId })}>
        {connected ? <StatusBadge status={sessionStatus} /> : <ConnBadge state={status.state} />}
      </Header>
      {!connected && (
        <p class="banner offline" role="status">
          Offline: {status.detail} The session goes on on the computer; this view catches up when the link is back.
        </p>
      )}
      {sync.state === 'error' && (
        <p class="error" role="alert">
          {sync.error}
        </p>
      )}
      {isTerminal ? (
        <TerminalLoader model={model} daemonId={daemonId} view={view} readOnly={readOnly} live={connected && sessionStatus !== 'exited'} />
      ) : (
        <Timeline model={model} daemonId={daemonId} view={view} readOnly={readOnly} />
      )}
      {!isTerminal && (
        <Composer model={model} daemonId={daemonId} sessionId={sessionId} status={sessionStatus} readOnly={readOnly} connected={connected}>
          <ModeSwitch model={model} daemonId={daemonId} sessionId={sessionId} mode={view.mode?.mode ?? summary?.mode ?? 'ask'} disabled={readOnly || !connected} />
        </Composer>
      )}
      <details class="more">
        <summary>Session details</summary>
        <dl>
          <dt>Agent</dt>
          <dd>{summary?.provider ?? '…'}</dd>
          <dt>Directory</dt>
          <dd class="id">{summary?.cwd ?? '…'}</dd>
          {view.usage.reports > 0 && (
            <>
              <dt>Tokens</dt>
              <dd>
                {view.usage.inputTokens} in · {view.usage.outputTokens} out
                {view.usage.costUsd > 0 ? ` · $${view.usage.costUsd.toFixed(4)}` : ''}
              </dd>
            </>
          )}
          <dt>Synced</dt>
          <dd data-testid="sync" data-last-seq={view.lastSeq} data-applied={sync.applied} data-digest={sync.digest} data-state={sync.state}>
            seq {view.lastSeq} · {sync.applied} events · {sync.state} · <span class="id">{sync.digest}</span>
          </dd>
        </dl>
      </details>
    </main>
  );
}

function Timeline({ model, daemonId, view, readOnly }: { model: AppModel; daemonId: string; view: SessionView; readOnly: boolean }) {
  // Open at the newest and follow the stream while the reader stays at the bottom; once they
  // scroll up to read, leave them there until they come back down.
  const follow = useRef(true);
  useEffect(() => {
    const onScroll = () => {
      follow.current = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 240;
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, []);
  const count = view.timeline.length;
  const lastText = view.timeline[count - 1];
  useEffect(() => {
    // The page's bottom, not the list's: the sticky prompt box would cover the list's end.
    if (follow.current) window.scrollTo(0, document.documentElement.scrollHeight);
  }, [count, lastText]);
  if (count === 0) return <p class="empty">Nothing yet.</p>;
  return (
    <ol class="timeline" aria-label="Conversation">
        {view.timeline.map((item) => (
          <li key={`${item.kind}-${item.seq}`} class={`item item-${item.kind}`} data-seq={item.seq}>
            <Item model={model} daemonId={daemonId} view={view} item={item} readOnly={readOnly} />
          </li>
        ))}
    </ol>
  );
}

function Item({ model, daemonId, view, item, readOnly }: { model: AppModel; daemonId: string; view: SessionView; item: TimelineItem; readOnly: boolean }) {
  switch (item.kind) {
    case 'user':
      return (
        <div class="bubble">
          <span class="who">{item.by === 'owner' ? 'You (on the computer)' : 'You'}</span>
          <p class="user-text">{item.text}</p>
        </div>
      );
    case 'assistant':
      return (
        <div class={`assistant assistant-${item.state}`}>
          <Markdown text={item.text} />
          {item.state === 'cut' && <p class="note">(the answer stopped here)</p>}
        </div>
      );
    case 'thinking':
      return (
        <details class="thinking">
          <summary>Thinking</summary>
          <p>{item.text}</p>
        </details>
      );
    case 'tool': {
      const card = view.tools[item.key];
      return card ? <ToolCardView model={model} daemonId={daemonId} card={card} readOnly={readOnly} /> : null;
    }
    case 'notice':
      return <p class="notice">{item.text}</p>;
    case 'error':
      return (
        <p class="error" role="alert">
          {item.message}
        </p>
      );
  }
}

const PHASE_LABEL: Record<string, string> = {
  awaiting_approval: 'waiting for you',
  denied: 'denied',
  running: 'running',
  done: 'done',
  failed: 'failed',
};

function ToolCardView({ model, daemonId, card, readOnly }: { model: AppModel; daemonId: string; card: ToolCard; readOnly: boolean }) {
  const phase = toolPhase(card);
  const a = card.approval;
  const pending = a?.state === 'pending';
  return (
    <details class={`tool tool-${phase}`} open={pending}>
      <summary>
        <span class="tool-summary">{toolSummary(card.tool, card.input)}</span>
        <span class={`badge phase-${phase}`}>{PHASE_LABEL[phase] ?? phase}</span>
      </summary>
      {pending ? (
        <ApprovalCard
          model={model}
          readOnly={readOnly}
          q={{ daemonId, approvalId: a.approvalId, tool: card.tool, tier: a.tier, input: card.input, cwd: null, expires: a.expires }}
        />
      ) : (
        <ToolInput tool={card.tool} input={card.input} />
      )}
      {a && a.state !== 'pending' && (
        <p class="decision">
          {a.state === 'allowed' ? 'Allowed' : 'Denied'} by {decidedBy(a.by)}
          {a.scope && a.scope !== 'once' ? ` (${a.scope})` : ''}
          {a.message ? `: “${a.message}”` : ''}
        </p>
      )}
      {card.result && (
        <div class={`result${card.result.isError ? ' result-error' : ''}`}>
          <span class="result-label">{card.result.isError ? 'Error' : 'Result'}</span>
          <pre>{card.result.content}</pre>
          {card.result.truncated && <p class="note">(cut to 64 KiB)</p>}
        </div>
      )}
    </details>
  );
}

function decidedBy(by: string): string {
  if (by === 'owner') return 'you on the computer';
  if (by.startsWith('rule:')) return 'an “always” rule';
  if (by.startsWith('mode:')) return `${by.slice(5)} mode`;
  if (by === 'tier:safe') return 'tether (read-only tool)';
  if (by === 'session') return 'a grant for this session';
  if (by === 'timeout') return 'timeout';
  if (by === 'provider_exit') return 'the agent exiting';
  if (by === 'daemon_stop') return 'the computer stopping';
  return `device ${by}`;
}

function Composer({
  model,
  daemonId,
  sessionId,
  status,
  readOnly,
  connected,
  children,
}: {
  model: AppModel;
  daemonId: string;
  sessionId: string;
  status: string;
  readOnly: boolean;
  connected: boolean;
  /** Shown above the prompt box (the mode switch). */
  children?: ComponentChildren;
}) {
  const text = useSignal('');
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const disabled = readOnly || !connected;
  const call = async (method: string, params: Record<string, unknown>) => {
    busy.value = true;
    error.value = null;
    const r = await model.hosts.call(daemonId, method, { session: sessionId, ...params });
    busy.value = false;
    if (!r.ok) error.value = r.error.message;
    return r.ok;
  };
  const running = status === 'running' || status === 'waiting_for_approval' || status === 'starting';
  return (
    <form
      class="composer"
      onSubmit={async (e) => {
        e.preventDefault();
        const t = text.value.trim();
        if (t && (await call('session.send', { text: t }))) text.value = '';
      }}
    >
      {children}
      {readOnly && <p class="note">{READ_ONLY_REASON}</p>}
      <ErrorLine message={error.value} />
      <label class="field">
        <span class="visually-hidden">Message to the agent</span>
        <textarea
          rows={2}
          placeholder={readOnly ? 'Read-only device' : 'Tell the agent what to do next'}
          value={text.value}
          disabled={disabled}
          onInput={(e) => (text.value = e.currentTarget.value)}
        />
      </label>
      <div class="button-row">
        <button class="button" type="button" disabled={disabled || busy.value || !running} onClick={() => void call('session.interrupt', {})}>
          Interrupt
        </button>
        <button
          class="button danger"
          type="button"
          disabled={disabled || busy.value || status === 'exited'}
          onClick={() => {
            if (confirm('Stop this agent? Its pending questions are denied.')) void call('session.stop', {});
          }}
        >
          Stop
        </button>
        <button class="button primary" type="submit" disabled={disabled || busy.value || !text.value.trim()}>
          Send
        </button>
      </div>
    </form>
  );
}

function ModeSwitch({ model, daemonId, sessionId, mode, disabled }: { model: AppModel; daemonId: string; sessionId: string; mode: string; disabled: boolean }) {
  const error = useSignal<string | null>(null);
  return (
    <fieldset class="modes" disabled={disabled}>
      <legend class="visually-hidden">Approval mode</legend>
      {MODES.map((m) => (
        <label key={m.mode} class={`mode${mode === m.mode ? ' mode-current' : ''}`}>
          <input
            type="radio"
            name={`mode-${sessionId}`}
            value={m.mode}
            checked={mode === m.mode}
            onChange={async () => {
              const r = await model.hosts.call(daemonId, 'session.set_mode', { session: sessionId, mode: m.mode });
              error.value = r.ok ? null : r.error.message;
            }}
          />
          <span>
            {m.label} <small>{m.hint}</small>
          </span>
        </label>
      ))}
      <ErrorLine message={error.value} />
    </fieldset>
  );
}

