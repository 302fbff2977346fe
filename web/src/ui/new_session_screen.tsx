// Starting an agent on a computer: which one, in which directory (recent ones offered), in
// which approval mode, with which first prompt. A terminal takes a command instead.

import { useSignal } from '@preact/signals';
import { recentDirectories } from '../state';
import type { AppModel } from './app';
import { READ_ONLY_REASON } from './approval_card';
import { hrefFor, navigate } from './route';
import { ErrorLine, Header } from './widgets';

const PROVIDERS = [
  { id: 'claude', label: 'Claude Code' },
  { id: 'codex', label: 'Codex' },
  { id: 'opencode', label: 'OpenCode' },
  { id: 'terminal', label: 'Terminal' },
] as const;

export function NewSessionScreen({ model, daemonId }: { model: AppModel; daemonId: string }) {
  const host = model.hosts.get(daemonId);
  const status = model.hosts.statusOf(daemonId);
  const recent = recentDirectories(model.live.sessions.value.get(daemonId) ?? []);
  const provider = useSignal<string>('claude');
  const cwd = useSignal(recent[0] ?? '');
  const mode = useSignal('ask');
  const prompt = useSignal('');
  const name = useSignal('');
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const readOnly = (status.mode ?? host?.mode) === 'read_only';
  const terminal = provider.value === 'terminal';
  const disabled = readOnly || status.state !== 'connected' || busy.value;

  const submit = async () => {
    busy.value = true;
    error.value = null;
    const params: Record<string, unknown> = { provider: provider.value, cwd: cwd.value.trim(), mode: mode.value };
    if (name.value.trim()) params['name'] = name.value.trim();
    const p = prompt.value.trim();
    if (terminal && p) params['command'] = ['/bin/sh', '-c', p];
    if (!terminal && p) params['prompt'] = p;
    const r = await model.hosts.call<{ id?: unknown }>(daemonId, 'session.create', params);
    busy.value = false;
    if (!r.ok) {
      error.value = r.error.message;
      return;
    }
    const id = typeof r.value.id === 'string' ? r.value.id : null;
    navigate(id ? { screen: 'session', daemonId, sessionId: id } : { screen: 'sessions', daemonId });
  };

  return (
    <main class="screen">
      <Header title="New session" back={hrefFor({ screen: 'sessions', daemonId })} />
      {readOnly && <p class="note">{READ_ONLY_REASON}</p>}
      {status.state !== 'connected' && (
        <p class="banner" role="status">
          {status.detail}
        </p>
      )}
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset class="choices" disabled={disabled}>
          <legend>Agent</legend>
          {PROVIDERS.map((p) => (
            <label key={p.id} class="choice">
              <input type="radio" name="provider" value={p.id} checked={provider.value === p.id} onChange={() => (provider.value = p.id)} />
              {p.label}
            </label>
          ))}
        </fieldset>
        <label class="field">
          Directory on {host?.name ?? 'the computer'}
          <input
            type="text"
            required
            list="recent-dirs"
            autocapitalize="off"
            autocomplete="off"
            spellcheck={false}
            placeholder="/home/me/project"
            value={cwd.value}
            disabled={disabled}
            onInput={(e) => (cwd.value = e.currentTarget.value)}
          />
          <datalist id="recent-dirs">
            {recent.map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
        </label>
        {recent.length > 0 && (
          <div class="chips" aria-label="Recent directories">
            {recent.slice(0, 4).map((d) => (
              <button key={d} type="button" class="chip" disabled={disabled} onClick={() => (cwd.value = d)}>
                {d.split('/').filter(Boolean).pop() ?? d}
              </button>
            ))}
          </div>
        )}
        {!terminal && (
          <fieldset class="choices" disabled={disabled}>
            <legend>Approvals</legend>
            {(['ask', 'edits', 'auto'] as const).map((m) => (
              <label key={m} class="choice">
                <input type="radio" name="mode" value={m} checked={mode.value === m} onChange={() => (mode.value = m)} />
                {m === 'ask' ? 'Ask for every change' : m === 'edits' ? 'Allow file edits' : 'Allow everything'}
              </label>
            ))}
          </fieldset>
        )}
        <label class="field">
          {terminal ? 'Command (empty: your shell)' : 'First prompt'}
          <textarea rows={terminal ? 1 : 4} value={prompt.value} disabled={disabled} onInput={(e) => (prompt.value = e.currentTarget.value)} />
        </label>
        <label class="field">
          Name (optional)
          <input type="text" value={name.value} disabled={disabled} maxLength={128} onInput={(e) => (name.value = e.currentTarget.value)} />
        </label>
        <ErrorLine message={error.value} />
        <button class="button primary" type="submit" disabled={disabled || !cwd.value.trim()}>
          {busy.value ? 'Starting…' : 'Start'}
        </button>
      </form>
    </main>
  );
}
