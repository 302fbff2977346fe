// Which URLs from untrusted text may become a link: http, https and mailto only, after the
// browser's own URL parser has read them. Pure; everything else is shown as text.

const ALLOWED = new Set(['http:', 'https:', 'mailto:']);

/** The href to use for `raw`, or null when it must not become a link. */
export function safeHref(raw: string): string | null {
  if (raw.length === 0 || raw.length > 4096) return null;
  let url: URL;
  try {
    // No base: a relative reference throws, so it stays text.
    url = new URL(raw);
  } catch {
    return null;
  }
  // The parser drops tabs and newlines and lower-cases the scheme, so "Java\tScript:" is
  // judged as "javascript:", which is what a browser would run.
  if (!ALLOWED.has(url.protocol)) return null;
  if (url.protocol !== 'mailto:' && url.hostname === '') return null;
  return url.href;
}
