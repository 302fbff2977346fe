// Pairing: read the offer (from the link, a scanned QR code, or pasted), name this device, run
// the handshake, show the SAS large, and save the computer once the person says the numbers
// match and the computer's owner has said so too.

import { useSignal, type Signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { dialWebSocket, type Link } from '../host/link';
import { pageBaseOf, readOffer, type Offer } from '../host/offer';
import { confirmPairing, defaultHostName, MAX_NAME, pairWithOffer } from '../host/pairing';
import type { SavedHost } from '../host/store';
import type { AppModel } from './app';
import { QrScanner } from './qr_scanner';
import { navigate } from './route';
import { Header } from './widgets';

type Step =
  | { kind: 'form' }
  | { kind: 'pairing' }
  | { kind: 'compare'; host: SavedHost; link: Link; sas: string; via: 'relay' | 'direct' }
  | { kind: 'confirming'; sas: string }
  | { kind: 'declined' }
  | { kind: 'saved' }
  | { kind: 'mismatch'; deviceId: string }
  | { kind: 'failed'; error: string };

export function guessDeviceName(ua: string): string {
  if (/iPhone/.test(ua)) return 'iPhone';
  if (/iPad/.test(ua)) return 'iPad';
  if (/Android/.test(ua)) return 'Android phone';
  return 'Browser';
}

/** "123456" → "123 456", easier to read aloud and compare. */
export function spacedSas(sas: string): string {
  return sas.length === 6 ? `${sas.slice(0, 3)} ${sas.slice(3)}` : sas;
}

function PasteOffer({ model }: { model: AppModel }) {
  const text = useSignal('');
  const scanning = useSignal(false);
  if (scanning.value) {
    // A scanned offer takes the path of an opened link (model.offer): the pairing form, or why it cannot be used.
    return (
      <QrScanner
        onOffer={(offer) => {
          scanning.value = false;
          model.offer.value = offer;
        }}
        onCancel={() => (scanning.value = false)}
      />
    );
  }
  return (
    <form
      class="stack"
      onSubmit={(e) => {
        e.preventDefault();
        model.offer.value = readOffer(text.value, pageBaseOf(location));
      }}
    >
      <p>
        On your computer run <code>tether pair</code>, then scan the QR code it shows, open the link it prints on
        this device, or paste the link here.
      </p>
      <div class="actions">
        <button class="button primary" type="button" onClick={() => (scanning.value = true)}>
          Scan QR code
        </button>
      </div>
      <label class="field">
        <span>Pairing link</span>
        <textarea
          rows={3}
          value={text.value}
          onInput={(e) => (text.value = e.currentTarget.value)}
          autocomplete="off"
          spellcheck={false}
        />
      </label>
      <div class="actions">
        <button class="button primary" type="submit" disabled={text.value.trim() === ''}>
          Use this link
        </button>
      </div>
    </form>
  );
}

function Compare({ model, step, s }: { model: AppModel; step: Signal<Step>; s: Extract<Step, { kind: 'compare' }> }) {
  return (
    <section class="stack" aria-labelledby="sas-title">
      <h2 id="sas-title">Compare this number</h2>
      <p class="sas" aria-label={`Code ${s.sas.split('').join(' ')}`} data-sas={s.sas}>
        {spacedSas(s.sas)}
      </p>
      <p>
        Your computer shows a code where <code>tether pair</code> runs. Do they match?
      </p>
      <div class="actions">
        <button
          class="button primary"
          type="button"
          onClick={async () => {
            // The computer keeps this device pending until its owner said the codes match too.
            step.value = { kind: 'confirming', sas: s.sas };
            if ((await confirmPairing(s.link, true)) !== 'paired') {
              s.link.close();
              step.value = { kind: 'declined' };
              return;
            }
            step.value = { kind: 'saved' }; // the link now belongs to the host list
            await model.hosts.add(s.host, s.link, s.via);
            navigate({ screen: 'sessions', daemonId: s.host.daemon_id });
          }}
        >
          They match
        </button>
        <button
          class="button danger"
          type="button"
          onClick={() => {
            // The computer revokes the device at once; the link closes either way.
            void confirmPairing(s.link, false, 5_000).finally(() => s.link.close());
            step.value = { kind: 'mismatch', deviceId: s.host.device_id };
          }}
        >
          They differ
        </button>
      </div>
    </section>
  );
}

function PairForm({ model, offer, step }: { model: AppModel; offer: Offer; step: Signal<Step> }) {
  const deviceName = useSignal(guessDeviceName(navigator.userAgent));
  const hostName = useSignal(defaultHostName(offer));

  const start = async () => {
    step.value = { kind: 'pairing' };
    // The offer's secret is spent (or refused) whatever happens: it is not offered twice.
    model.offer.value = null;
    const r = await pairWithOffer(
      offer,
      { device: deviceName.value, host: hostName.value },
      { dial: dialWebSocket, pageOrigin: location.origin, savedKey: model.hosts.get(offer.daemon_id)?.key },
    );
    step.value = r.ok ? { kind: 'compare', ...r } : { kind: 'failed', error: r.error };
  };

  return (
    <form
      class="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <p>
        Pair with the computer <code class="id">{offer.daemon_id.slice(0, 12)}…</code>
        {offer.relay ? ' through its relay' : ' directly'}.
      </p>
      <label class="field">
        <span>This device's name (the computer lists it)</span>
        <input
          value={deviceName.value}
          maxLength={MAX_NAME}
          required
          onInput={(e) => (deviceName.value = e.currentTarget.value)}
        />
      </label>
      <label class="field">
        <span>Name for the computer (on this device)</span>
        <input value={hostName.value} maxLength={MAX_NAME} onInput={(e) => (hostName.value = e.currentTarget.value)} />
      </label>
      <div class="actions">
        <button class="button primary" type="submit" disabled={deviceName.value.trim() === ''}>
          Pair
        </button>
      </div>
    </form>
  );
}

function Body({ model, step }: { model: AppModel; step: Signal<Step> }) {
  const s = step.value;
  const reset = () => (step.value = { kind: 'form' });
  switch (s.kind) {
    case 'pairing':
      return (
        <p class="center" role="status">
          Connecting to the computer…
        </p>
      );
    case 'compare':
      return <Compare model={model} step={step} s={s} />;
    case 'confirming':
      return (
        <section class="stack" aria-labelledby="confirming-title">
          <h2 id="confirming-title">Confirm on your computer</h2>
          <p class="sas" data-sas={s.sas}>
            {spacedSas(s.sas)}
          </p>
          <p role="status">
            Waiting for your computer: answer <code>y</code> where <code>tether pair</code> asks whether the codes match.
          </p>
        </section>
      );
    case 'declined':
      return (
        <Failure action="Start over" onAction={reset}>
          Not paired. The computer declined the pairing: its owner said the codes differ, or no one confirmed in time.
          Run <code>tether pair</code> again for a new link.
        </Failure>
      );
    case 'saved':
      return (
        <p class="center" role="status">
          Saved.
        </p>
      );
    case 'mismatch':
      return (
        <Failure action="Start over" onAction={reset}>
          Not saved. A different code means someone may be in the middle: the computer has revoked this pairing (device{' '}
          <code>{s.deviceId}</code>). Run <code>tether pair</code> again for a new link.
        </Failure>
      );
    case 'failed':
      return (
        <Failure action="Start over" onAction={reset}>
          Pairing failed. {s.error} Run <code>tether pair</code> again for a new link.
        </Failure>
      );
    case 'form': {
      const o = model.offer.value;
      if (o === null) return <PasteOffer model={model} />;
      if (o.ok) return <PairForm key={o.offer.secret} model={model} offer={o.offer} step={step} />;
      return (
        <Failure action="Try another link" onAction={() => (model.offer.value = null)}>
          This pairing link cannot be used: {o.error}.
        </Failure>
      );
    }
  }
}

/** Why pairing stopped, and the one way on. */
function Failure({ action, onAction, children }: { action: string; onAction: () => void; children: ComponentChildren }) {
  return (
    <section class="stack">
      <p class="error" role="alert">
        {children}
      </p>
      <div class="actions">
        <button class="button" type="button" onClick={onAction}>
          {action}
        </button>
      </div>
    </section>
  );
}

export function PairScreen({ model }: { model: AppModel }) {
  const step = useSignal<Step>({ kind: 'form' });
  // Leaving the screen before saying the codes match drops the unsaved pairing's link.
  useEffect(
    () => () => {
      const s = step.peek();
      if (s.kind === 'compare') s.link.close(); // the computer declines a pairing whose device left
    },
    [],
  );
  // A new link opened while a failure is shown starts over with it.
  const offer = model.offer.value;
  useEffect(() => {
    const k = step.peek().kind;
    if (offer && (k === 'failed' || k === 'mismatch' || k === 'declined')) step.value = { kind: 'form' };
  }, [offer]);
  return (
    <main class="screen">
      <Header title="Pair a computer" back="#/" />
      <Body model={model} step={step} />
    </main>
  );
}
