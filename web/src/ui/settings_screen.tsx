// Settings: the hash of the app's code, to compare with the one the computer ships.

import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { AppModel } from './app';
import { Header } from './widgets';

export function SettingsScreen({ model }: { model: AppModel }) {
  const hash = useSignal<string | null>(null);
  useEffect(() => {
    fetch('./app-hash.txt', { cache: 'no-store' })
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
      .then((t) => (hash.value = t.trim()))
      .catch(() => (hash.value = ''));
  }, []);
  const h = hash.value;
  return (
    <main class="screen">
      <Header title="Settings" />
      <section class="stack">
        <h2>App code</h2>
        <p>
          Whoever serves this app could change its code. Compare this hash with <code>tether app-hash</code> on your
          computer:
        </p>
        <p class="hash id" aria-label="App hash">
          {h === null ? '…' : h === '' ? 'unknown (development build)' : h}
        </p>
      </section>
      <section class="stack">
        <h2>Storage</h2>
        <p>
          {model.persistent
            ? `${model.hosts.list.value.length} paired computer(s), with their device keys, in this browser's IndexedDB. The keys cannot be read back, only used.`
            : 'Nothing is stored: this browser refused IndexedDB.'}
        </p>
      </section>
    </main>
  );
}
