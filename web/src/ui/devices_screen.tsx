// The devices paired with one computer: rename, make read-only or full, revoke. Only a full
// device may change them; a read-only one sees why the controls are off.

import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { isObject, num, str } from '../state/json_fields';
import type { AppModel } from './app';
import { READ_ONLY_REASON } from './approval_card';
import { hrefFor } from './route';
import { ago, ErrorLine, Header } from './widgets';

export interface DeviceRow {
  readonly id: string;
  readonly name: string;
  readonly mode: 'full' | 'read_only';
  readonly lastSeen: number | null;
  readonly revoked: boolean;
  readonly live: number;
}

/** The rows of a device.list result; malformed ones are dropped. */
export function deviceRows(result: unknown): DeviceRow[] {
  const list = isObject(result) && Array.isArray(result['devices']) ? result['devices'] : [];
  const out: DeviceRow[] = [];
  for (const d of list) {
    if (!isObject(d)) continue;
    const id = str(d, 'id');
    if (!id) continue;
    out.push({
      id,
      name: str(d, 'name') ?? '',
      mode: str(d, 'mode') === 'full' ? 'full' : 'read_only',
      lastSeen: num(d, 'last_seen_at'),
      revoked: d['revoked_at'] !== null && d['revoked_at'] !== undefined,
      live: num(d, 'live_connections') ?? 0,
    });
  }
  return out;
}

export function DevicesScreen({ model, daemonId }: { model: AppModel; daemonId: string }) {
  const host = model.hosts.get(daemonId);
  const status = model.hosts.statusOf(daemonId);
  const rows = useSignal<DeviceRow[] | null>(null);
  const error = useSignal<string | null>(null);
  const connected = status.state === 'connected';
  const readOnly = (status.mode ?? host?.mode) === 'read_only';

  const load = async () => {
    const r = await model.hosts.call(daemonId, 'device.list');
    if (r.ok) rows.value = deviceRows(r.value);
    else error.value = r.error.message;
  };
  useEffect(() => {
    if (connected) void load();
  }, [daemonId, connected]);

  const change = async (method: string, params: Record<string, unknown>) => {
    error.value = null;
    const r = await model.hosts.call(daemonId, method, params);
    if (!r.ok) error.value = r.error.message;
    await load();
  };

  const active = (rows.value ?? []).filter((d) => !d.revoked);
  const revoked = (rows.value ?? []).filter((d) => d.revoked);
  return (
    <main class="screen">
      <Header title="Devices" back={hrefFor({ screen: 'sessions', daemonId })} />
      {readOnly && <p class="note">{READ_ONLY_REASON}</p>}
      {!connected && (
        <p class="banner" role="status">
          {status.detail}
        </p>
      )}
      <ErrorLine message={error.value} />
      {rows.value && (
        <ul class="list" aria-label={`Devices of ${host?.name ?? 'this computer'}`}>
          {active.map((d) => (
            <DeviceItem key={d.id} d={d} self={d.id === host?.device_id} disabled={readOnly || !connected} change={change} />
          ))}
        </ul>
      )}
      {revoked.length > 0 && (
        <details class="more">
          <summary>Revoked ({revoked.length})</summary>
          <ul class="list">
            {revoked.map((d) => (
              <li key={d.id} class="row">
                <span class="row-main">
                  <span class="row-title">{d.name || d.id}</span>
                  <span class="row-sub id">{d.id}</span>
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </main>
  );
}

function DeviceItem({
  d,
  self,
  disabled,
  change,
}: {
  d: DeviceRow;
  self: boolean;
  disabled: boolean;
  change: (method: string, params: Record<string, unknown>) => Promise<void>;
}) {
  const editing = useSignal(false);
  const name = useSignal(d.name);
  return (
    <li class="card">
      {editing.value ? (
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            editing.value = false;
            void change('device.rename', { id: d.id, name: name.value.trim() });
          }}
        >
          <label class="field">
            Name
            <input type="text" maxLength={64} value={name.value} onInput={(e) => (name.value = e.currentTarget.value)} />
          </label>
          <div class="button-row">
            <button class="button" type="button" onClick={() => (editing.value = false)}>
              Cancel
            </button>
            <button class="button primary" type="submit" disabled={!name.value.trim()}>
              Save
            </button>
          </div>
        </form>
      ) : (
        <p class="card-title">
          <strong>
            {d.name || d.id}
            {self ? ' (this device)' : ''}
          </strong>
          <span class={`badge mode-${d.mode}`}>{d.mode === 'full' ? 'full' : 'read-only'}</span>
        </p>
      )}
      <p class="row-sub">
        {d.live > 0 ? 'connected now' : d.lastSeen ? `seen ${ago(d.lastSeen)}` : 'never connected'} · <span class="id">{d.id}</span>
      </p>
      <div class="button-row">
        <button class="button" type="button" disabled={disabled} onClick={() => (editing.value = true)}>
          Rename
        </button>
        <button
          class="button"
          type="button"
          disabled={disabled}
          onClick={() => void change('device.set_mode', { id: d.id, mode: d.mode === 'full' ? 'read_only' : 'full' })}
        >
          {d.mode === 'full' ? 'Make read-only' : 'Make full'}
        </button>
        <button
          class="button danger"
          type="button"
          disabled={disabled}
          onClick={() => {
            const what = self ? 'This device will be disconnected and must be paired again.' : 'It can no longer connect.';
            if (confirm(`Revoke ${d.name || d.id}? ${what}`)) void change('device.revoke', { id: d.id });
          }}
        >
          Revoke
        </button>
      </div>
    </li>
  );
}
