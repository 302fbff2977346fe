// Installs the app's service worker (src/sw/), which keeps the app shell for offline starts.
// Browsers allow service workers only in a secure context: https, or http on localhost.

/** Registers ./sw.js for the app's directory once the page has loaded; a failure only warns. */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  const register = () => {
    navigator.serviceWorker
      .register('./sw.js', { scope: './' })
      .catch((err: unknown) => console.warn('tether: the service worker was not registered:', err));
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
