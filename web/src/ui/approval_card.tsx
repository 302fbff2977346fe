// The question a tool call puts to the user: what, where, and the four answers (once, for this
// session, always here, deny with a message). Used in the session view and in the inbox.

import { useSignal } from '@preact/signals';
import { ToolInput } from '../render';
import type { AppModel } from './app';
import { ErrorLine, shortPath } from './widgets';

export interface ApprovalQuestion {
  readonly daemonId: string;
  readonly approvalId: string;
  readonly tool: string;
  readonly tier: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly cwd: string | null;
  /** Unix ms after which the computer denies it. */
  readonly expires: number | null;
}

type Scope = 'once' | 'session' | 'always';

export const READ_ONLY_REASON = 'This device is read-only: it can watch but not answer, send or stop.';

export function ApprovalCard({
  model,
  q,
  readOnly,
  showInput = true,
}: {
  model: AppModel;
  q: ApprovalQuestion;
  readOnly: boolean;
  showInput?: boolean;
}) {
  const busy = useSignal(false);
  const denying = useSignal(false);
  const message = useSignal('');
  const error = useSignal<string | null>(null);

  const respond = async (decision: 'allow' | 'deny', scope: Scope = 'once') => {
    busy.value = true;
    error.value = null;
    const params: Record<string, unknown> = { id: q.approvalId, decision, scope };
    if (decision === 'deny' && message.value.trim()) params['message'] = message.value.trim();
    const r = await model.hosts.call(q.daemonId, 'approval.respond', params);
    busy.value = false;
    if (r.ok) model.live.answered(q.daemonId, q.approvalId);
    else error.value = r.error.message;
  };

  const titleId = `approval-${q.approvalId}`;
  const disabled = readOnly || busy.value;
  return (
    <section class="approval" aria-labelledby={titleId}>
      <h3 id={titleId} class="approval-title">
        Allow <span class="tool-name">{q.tool}</span>?
        {q.tier && <span class="badge tier">{q.tier}</span>}
      </h3>
      {q.cwd && (
        <p class="approval-where">
          in <span title={q.cwd}>{shortPath(q.cwd, 40)}</span>
          {q.expires ? ` · denied ${until(q.expires)} if unanswered` : ''}
        </p>
      )}
      {showInput && <ToolInput tool={q.tool} input={q.input} />}
      {readOnly && <p class="note">{READ_ONLY_REASON}</p>}
      <ErrorLine message={error.value} />
      {denying.value ? (
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void respond('deny');
          }}
        >
          <label class="field">
            What should the agent do instead? (optional)
            <textarea rows={2} value={message.value} onInput={(e) => (message.value = e.currentTarget.value)} disabled={disabled} />
          </label>
          <div class="button-row">
            <button class="button" type="button" onClick={() => (denying.value = false)} disabled={busy.value}>
              Back
            </button>
            <button class="button danger" type="submit" disabled={disabled}>
              Deny
            </button>
          </div>
        </form>
      ) : (
        <div class="approval-actions">
          <button class="button primary" type="button" disabled={disabled} onClick={() => void respond('allow', 'once')}>
            Allow once
          </button>
          <div class="button-row">
            <button class="button" type="button" disabled={disabled} onClick={() => void respond('allow', 'session')}>
              For this session
            </button>
            <button class="button" type="button" disabled={disabled} onClick={() => void respond('allow', 'always')}>
              Always here
            </button>
          </div>
          <button class="button danger" type="button" disabled={disabled} onClick={() => (denying.value = true)}>
            Deny…
          </button>
        </div>
      )}
    </section>
  );
}

function until(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((ms - now) / 1000));
  if (s < 90) return `in ${s} s`;
  if (s < 5400) return `in ${Math.round(s / 60)} min`;
  return `in ${Math.round(s / 3600)} h`;
}
