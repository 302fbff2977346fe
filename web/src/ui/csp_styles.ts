// xterm.js writes a few <style> elements of its own (row sizes, theme colours, scrollbar).
// The app's CSP (style-src 'self') rightly refuses inline <style>, so while a terminal is open
// this bridge gives xterm stand-in elements instead: the CSS it sets on one goes into a
// constructed stylesheet adopted by the document. Only text xterm builds from our own options
// and theme gets there; nothing from the program's output does (that is drawn as text in spans).

interface Bridge {
  refs: number;
  original: Document['createElement'];
  sheets: Set<CSSStyleSheet>;
}

const bridges = new WeakMap<Document, Bridge>();

/** Installs the bridge on `doc` (counted); call the returned function to remove it. */
export function bridgeInlineStyles(doc: Document = document): () => void {
  let b = bridges.get(doc);
  if (!b) {
    const original = doc.createElement;
    const bridge: Bridge = { refs: 0, original, sheets: new Set() };
    b = bridge;
    const patched = function (this: Document, tag: string, options?: ElementCreationOptions): HTMLElement {
      if (String(tag).toLowerCase() !== 'style') return original.call(this, tag, options);
      return standIn(this, bridge);
    };
    doc.createElement = patched as Document['createElement'];
    bridges.set(doc, b);
  }
  b.refs++;
  let released = false;
  return () => {
    if (released || !b) return;
    released = true;
    if (--b.refs > 0) return;
    doc.createElement = b.original;
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => !b!.sheets.has(s));
    bridges.delete(doc);
  };
}

/** An inert element whose textContent lands in an adopted stylesheet. */
function standIn(doc: Document, b: Bridge): HTMLElement {
  const el = b.original.call(doc, 'tether-style') as HTMLElement;
  el.hidden = true;
  const sheet = new CSSStyleSheet();
  b.sheets.add(sheet);
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  let text = '';
  Object.defineProperty(el, 'textContent', {
    get: () => text,
    set: (v: string | null) => {
      text = v ?? '';
      sheet.replaceSync(text);
    },
  });
  const remove = el.remove.bind(el);
  el.remove = () => {
    remove();
    b.sheets.delete(sheet);
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
  };
  return el;
}
