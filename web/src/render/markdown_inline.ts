// Inline Markdown (code spans, emphasis, strikethrough, links, autolinks, images, breaks)
// to a small tree. Pure, and linear in practice: emphasis and brackets use CommonMark's
// delimiter stack with its "openers bottom" bound, and every look-ahead is capped. Raw HTML
// and entities are not interpreted: they stay the text they are.

import { safeHref } from './url';

export type Inline =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'code'; readonly text: string }
  | { readonly type: 'break' }
  | { readonly type: 'em' | 'strong' | 'del'; readonly children: readonly Inline[] }
  /** href is null when the URL is not one a link may have (then the label is shown as text). */
  | { readonly type: 'link'; readonly href: string | null; readonly url: string; readonly children: readonly Inline[] }
  | { readonly type: 'image'; readonly href: string | null; readonly url: string; readonly alt: string };

/** Emphasis and links nested deeper than this are kept as their plain contents. */
export const MAX_INLINE_DEPTH = 32;
/** Link destinations and titles longer than this are not links. */
const MAX_LINK_PART = 2048;
const MAX_AUTOLINK = 2048;

type NodeType = 'root' | 'text' | 'code' | 'break' | 'em' | 'strong' | 'del' | 'link' | 'image';

/** A node of the working tree: children are a doubly linked list, so wrapping is cheap. */
interface Node {
  type: NodeType;
  text: string;
  url: string;
  parent: Node | null;
  prev: Node | null;
  next: Node | null;
  first: Node | null;
  last: Node | null;
}

interface Delim {
  node: Node;
  char: string;
  count: number;
  readonly origCount: number;
  readonly canOpen: boolean;
  readonly canClose: boolean;
  prev: Delim | null;
  next: Delim | null;
}

interface Bracket {
  readonly node: Node;
  readonly image: boolean;
  readonly prev: Bracket | null;
  readonly delimBelow: Delim | null;
  active: boolean;
}

function makeNode(type: NodeType, text = ''): Node {
  return { type, text, url: '', parent: null, prev: null, next: null, first: null, last: null };
}

function append(parent: Node, child: Node): void {
  child.parent = parent;
  child.prev = parent.last;
  child.next = null;
  if (parent.last) parent.last.next = child;
  else parent.first = child;
  parent.last = child;
}

function unlink(node: Node): void {
  const parent = node.parent;
  if (node.prev) node.prev.next = node.next;
  else if (parent) parent.first = node.next;
  if (node.next) node.next.prev = node.prev;
  else if (parent) parent.last = node.prev;
  node.parent = node.prev = node.next = null;
}

function insertAfter(ref: Node, node: Node): void {
  const parent = ref.parent;
  node.parent = parent;
  node.prev = ref;
  node.next = ref.next;
  if (ref.next) ref.next.prev = node;
  else if (parent) parent.last = node;
  ref.next = node;
}

/** Moves the siblings strictly between `from` and `to` into `into`. */
function adoptBetween(from: Node, to: Node | null, into: Node): void {
  let n = from.next;
  while (n && n !== to) {
    const next = n.next;
    unlink(n);
    append(into, n);
    n = next;
  }
}

const PUNCT = /[\p{P}\p{S}]/u;
const SPACE = /\s/u;

function isSpace(ch: string): boolean {
  return ch === '' || SPACE.test(ch);
}

function isPunct(ch: string): boolean {
  return ch !== '' && PUNCT.test(ch);
}

const ASCII_PUNCT = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** Backtick runs of the whole text, and for each the next run of the same length. */
function backtickRuns(s: string): { at: Map<number, number>; len: number[]; start: number[]; closer: number[] } {
  const start: number[] = [];
  const len: number[] = [];
  for (let i = 0; i < s.length; ) {
    if (s.charCodeAt(i) !== 0x60) {
      i++;
      continue;
    }
    let j = i;
    while (j < s.length && s.charCodeAt(j) === 0x60) j++;
    start.push(i);
    len.push(j - i);
    i = j;
  }
  const closer = new Array<number>(start.length).fill(-1);
  const seen = new Map<number, number>();
  for (let k = start.length - 1; k >= 0; k--) {
    closer[k] = seen.get(len[k]!) ?? -1;
    seen.set(len[k]!, k);
  }
  const at = new Map<number, number>();
  start.forEach((p, k) => at.set(p, k));
  return { at, len, start, closer };
}

export function parseInline(s: string): Inline[] {
  const root = makeNode('root');
  const runs = backtickRuns(s);
  let delims: Delim | null = null;
  let brackets: Bracket | null = null;
  let textStart = 0;
  let i = 0;

  const addText = (text: string): Node => {
    const n = makeNode('text', text);
    if (text !== '') append(root, n);
    return n;
  };
  const flush = (end: number) => {
    if (end > textStart) addText(s.slice(textStart, end));
  };

  while (i < s.length) {
    const c = s[i]!;
    if (c === '\n') {
      let t = i;
      while (t > textStart && s[t - 1] === ' ') t--;
      flush(t);
      append(root, i - t >= 2 ? makeNode('break') : makeNode('text', '\n'));
      i++;
      while (i < s.length && s[i] === ' ') i++;
      textStart = i;
    } else if (c === '\\') {
      const next = s[i + 1] ?? '';
      if (next === '\n') {
        flush(i);
        append(root, makeNode('break'));
        i += 2;
        while (i < s.length && s[i] === ' ') i++;
        textStart = i;
      } else if (ASCII_PUNCT.has(next)) {
        flush(i);
        addText(next);
        i += 2;
        textStart = i;
      } else {
        i++;
      }
    } else if (c === '`') {
      const k = runs.at.get(i);
      if (k === undefined) {
        // The rest of a run whose first backtick was escaped: literal.
        i++;
        continue;
      }
      const n = runs.len[k]!;
      const close = runs.closer[k]!;
      flush(i);
      if (close < 0) {
        addText(s.slice(i, i + n));
        i += n;
      } else {
        const end = runs.start[close]!;
        append(root, makeNode('code', codeSpanText(s.slice(i + n, end))));
        i = end + n;
      }
      textStart = i;
    } else if (c === '*' || c === '_' || c === '~') {
      let j = i;
      while (j < s.length && s[j] === c) j++;
      const count = j - i;
      flush(i);
      const node = addText(s.slice(i, j));
      if (c !== '~' || count === 2) {
        const before = s[i - 1] ?? '';
        const after = s[j] ?? '';
        const left = !isSpace(after) && (!isPunct(after) || isSpace(before) || isPunct(before));
        const right = !isSpace(before) && (!isPunct(before) || isSpace(after) || isPunct(after));
        const canOpen = c === '_' ? left && (!right || isPunct(before)) : left;
        const canClose = c === '_' ? right && (!left || isPunct(after)) : right;
        if (canOpen || canClose) {
          const d: Delim = { node, char: c, count, origCount: count, canOpen, canClose, prev: delims, next: null };
          if (delims) delims.next = d;
          delims = d;
        }
      }
      i = j;
      textStart = i;
    } else if (c === '[' || (c === '!' && s[i + 1] === '[')) {
      const image = c === '!';
      flush(i);
      const node = addText(image ? '![' : '[');
      brackets = { node, image, prev: brackets, delimBelow: delims, active: true };
      i += image ? 2 : 1;
      textStart = i;
    } else if (c === ']') {
      if (!brackets) {
        i++; // nothing to close: text
        continue;
      }
      flush(i);
      i = closeBracket(i);
      textStart = i;
    } else if (c === '<') {
      const end = autolinkEnd(s, i);
      if (end < 0) {
        i++;
        continue;
      }
      flush(i);
      const target = s.slice(i + 1, end);
      const link = makeNode('link');
      link.url = AUTOLINK_URI.test(target) ? target : `mailto:${target}`;
      append(link, makeNode('text', target));
      append(root, link);
      i = end + 1;
      textStart = i;
    } else {
      i++;
    }
  }
  flush(s.length);
  processEmphasis(null);
  return toInlines(root, 0);

  /** At `]`: a link or image when an open bracket and an inline destination match; else text. */
  function closeBracket(at: number): number {
    const opener = brackets!;
    brackets = opener.prev;
    const dest = opener.active ? inlineDestination(s, at + 1) : null;
    if (!dest) {
      addText(']');
      return at + 1;
    }
    const link = makeNode(opener.image ? 'image' : 'link');
    link.url = dest.url;
    adoptBetween(opener.node, null, link);
    append(root, link);
    processEmphasis(opener.delimBelow);
    unlink(opener.node);
    if (!opener.image) {
      // Links do not contain links: brackets opened before this one cannot make one.
      for (let b = brackets; b; b = b.prev) if (!b.image) b.active = false;
    }
    return dest.end;
  }

  function removeDelim(d: Delim): void {
    if (d.prev) d.prev.next = d.next;
    if (d.next) d.next.prev = d.prev;
    else delims = d.prev;
  }

  /** CommonMark's "process emphasis" over the delimiters above `bottom`. */
  function processEmphasis(bottom: Delim | null): void {
    const openersBottom = new Map<string, Delim | null>();
    if (delims === bottom || !delims) return;
    let closer: Delim | null = delims;
    while (closer.prev && closer.prev !== bottom) closer = closer.prev;
    while (closer) {
      if (!closer.canClose) {
        closer = closer.next;
        continue;
      }
      const key = `${closer.char}${closer.canOpen ? 1 : 0}${closer.origCount % 3}`;
      const limit = openersBottom.has(key) ? openersBottom.get(key)! : bottom;
      let opener = closer.prev;
      let found = false;
      while (opener && opener !== bottom && opener !== limit) {
        const odd =
          (closer.canOpen || opener.canClose) &&
          closer.origCount % 3 !== 0 &&
          (opener.origCount + closer.origCount) % 3 === 0;
        if (opener.char === closer.char && opener.canOpen && !odd) {
          found = true;
          break;
        }
        opener = opener.prev;
      }
      const current: Delim = closer;
      if (found && opener) {
        const use = closer.char === '~' ? 2 : closer.count >= 2 && opener.count >= 2 ? 2 : 1;
        opener.count -= use;
        closer.count -= use;
        opener.node.text = opener.node.text.slice(0, opener.count);
        closer.node.text = closer.node.text.slice(0, closer.count);
        const wrap = makeNode(closer.char === '~' ? 'del' : use === 2 ? 'strong' : 'em');
        adoptBetween(opener.node, closer.node, wrap);
        insertAfter(opener.node, wrap);
        for (let d = current.prev; d && d !== opener; ) {
          const prev: Delim | null = d.prev;
          removeDelim(d);
          d = prev;
        }
        if (opener.count === 0) {
          unlink(opener.node);
          removeDelim(opener);
        }
        if (closer.count === 0) {
          const next: Delim | null = closer.next;
          unlink(closer.node);
          removeDelim(closer);
          closer = next;
        }
      } else {
        openersBottom.set(key, current.prev);
        closer = current.next;
        if (!current.canOpen) removeDelim(current);
      }
    }
    // What is left above bottom is text.
    while (delims && delims !== bottom) removeDelim(delims);
  }
}

function codeSpanText(raw: string): string {
  const t = raw.replaceAll('\n', ' ');
  if (t.length >= 2 && t.startsWith(' ') && t.endsWith(' ') && t.trim() !== '') return t.slice(1, -1);
  return t;
}

/** `<scheme:…>` or `<user@host>` starting at `at`: the index of `>`, or -1. */
function autolinkEnd(s: string, at: number): number {
  const limit = Math.min(s.length, at + 1 + MAX_AUTOLINK);
  for (let j = at + 1; j < limit; j++) {
    const ch = s.charCodeAt(j);
    if (ch === 0x3e /* > */) {
      const body = s.slice(at + 1, j);
      return AUTOLINK_URI.test(body) || AUTOLINK_EMAIL.test(body) ? j : -1;
    }
    if (ch === 0x3c /* < */ || ch <= 0x20) return -1;
  }
  return -1;
}

const AUTOLINK_URI = /^[a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*$/;
const AUTOLINK_EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*$/;

/** `(destination "title")` at `at`; its URL and the index after `)`, or null. */
function inlineDestination(s: string, at: number): { url: string; end: number } | null {
  if (s[at] !== '(') return null;
  let i = skipSpace(s, at + 1);
  let url = '';
  if (s[i] === '<') {
    const start = i + 1;
    let j = start;
    while (j < s.length && j - start <= MAX_LINK_PART && s[j] !== '>' && s[j] !== '<' && s[j] !== '\n') {
      j += s[j] === '\\' ? 2 : 1;
    }
    if (s[j] !== '>') return null;
    url = unescape(s.slice(start, j));
    i = j + 1;
  } else {
    const start = i;
    let depth = 0;
    let j = i;
    for (; j < s.length && j - start <= MAX_LINK_PART; j++) {
      const ch = s[j]!;
      if (ch === '\\' && ASCII_PUNCT.has(s[j + 1] ?? '')) {
        j++;
      } else if (ch === '(') {
        if (++depth > 32) return null;
      } else if (ch === ')') {
        if (depth === 0) break;
        depth--;
      } else if (ch.charCodeAt(0) <= 0x20) {
        break;
      }
    }
    if (j - start > MAX_LINK_PART || depth !== 0) return null;
    url = unescape(s.slice(start, j));
    i = j;
  }
  const beforeTitle = i;
  i = skipSpace(s, i);
  const q = s[i];
  if (i > beforeTitle && (q === '"' || q === "'" || q === '(')) {
    const close = q === '(' ? ')' : q;
    const start = i + 1;
    let j = start;
    while (j < s.length && j - start <= MAX_LINK_PART && s[j] !== close) j += s[j] === '\\' ? 2 : 1;
    if (s[j] !== close) return null;
    i = skipSpace(s, j + 1);
  }
  if (s[i] !== ')') return null;
  return { url, end: i + 1 };
}

function skipSpace(s: string, i: number): number {
  let newlines = 0;
  while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n')) {
    if (s[i] === '\n' && ++newlines > 1) break;
    i++;
  }
  return i;
}

function unescape(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && ASCII_PUNCT.has(text[i + 1] ?? '')) i++;
    out += text[i];
  }
  return out;
}

/** The working tree as Inline values: adjacent text merged, nesting capped. */
function toInlines(parent: Node, depth: number): Inline[] {
  const out: Inline[] = [];
  const pushText = (text: string) => {
    if (text === '') return;
    const last = out[out.length - 1];
    if (last?.type === 'text') out[out.length - 1] = { type: 'text', text: last.text + text };
    else out.push({ type: 'text', text });
  };
  for (let n = parent.first; n; n = n.next) {
    switch (n.type) {
      case 'text':
        pushText(n.text);
        break;
      case 'code':
        out.push({ type: 'code', text: n.text });
        break;
      case 'break':
        out.push({ type: 'break' });
        break;
      case 'image':
        out.push({ type: 'image', url: n.url, href: safeHref(n.url), alt: plainText(n) });
        break;
      default: {
        if (depth >= MAX_INLINE_DEPTH) {
          pushText(plainText(n));
          break;
        }
        const children = toInlines(n, depth + 1);
        if (n.type === 'link') {
          out.push({ type: 'link', url: n.url, href: safeHref(n.url), children });
        } else if (n.type === 'em' || n.type === 'strong' || n.type === 'del') {
          out.push({ type: n.type, children });
        }
      }
    }
  }
  return out;
}

/** The text under a node, without markup; iterative, so depth does not matter. */
function plainText(node: Node): string {
  let text = '';
  const stack: Node[] = [];
  for (let n = node.last; n; n = n.prev) stack.push(n);
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'text' || n.type === 'code') text += n.text;
    else if (n.type === 'break') text += ' ';
    for (let c = n.last; c; c = c.prev) stack.push(c);
  }
  return text;
}
