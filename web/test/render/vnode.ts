// Rendering without a DOM: Preact vnodes expanded (function components called) into plain
// elements, and printed as escaped HTML so tests can assert on tags, attributes and text.

import { Fragment, type VNode } from 'preact';

export interface El {
  readonly tag: string;
  readonly props: Readonly<Record<string, unknown>>;
  readonly children: readonly Node[];
}

export type Node = El | string;

/** Elements and text under a vnode (or an array of them), components expanded. */
export function expand(v: unknown): Node[] {
  if (v === null || v === undefined || typeof v === 'boolean') return [];
  if (typeof v === 'string') return v === '' ? [] : [v];
  if (typeof v === 'number' || typeof v === 'bigint') return [String(v)];
  if (Array.isArray(v)) return v.flatMap(expand);
  const node = v as VNode<Record<string, unknown>>;
  const { children, ...props } = node.props ?? {};
  if (node.type === Fragment) return expand(children);
  if (typeof node.type === 'function') return expand((node.type as (p: unknown) => unknown)(node.props));
  if (typeof node.type !== 'string') throw new Error(`not a vnode: ${String(v)}`);
  return [{ tag: node.type, props, children: expand(children) }];
}

const escape = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** HTML as a browser would get it from these elements (attributes sorted, text escaped). */
export function html(nodes: readonly Node[]): string {
  return nodes
    .map((n) => {
      if (typeof n === 'string') return escape(n);
      const attrs = Object.entries(n.props)
        .filter(([, v]) => v !== undefined && v !== null && v !== false)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => ` ${k}="${escape(String(v))}"`)
        .join('');
      return `<${n.tag}${attrs}>${html(n.children)}</${n.tag}>`;
    })
    .join('');
}

export function render(v: unknown): string {
  return html(expand(v));
}

/** Every element, depth first. */
export function elements(nodes: readonly Node[]): El[] {
  const out: El[] = [];
  const walk = (ns: readonly Node[]) => {
    for (const n of ns) {
      if (typeof n === 'string') continue;
      out.push(n);
      walk(n.children);
    }
  };
  walk(nodes);
  return out;
}

/** The text under nodes, as a screen reader would get it (hidden marks included). */
export function textOf(nodes: readonly Node[]): string {
  return nodes.map((n) => (typeof n === 'string' ? n : textOf(n.children))).join('');
}
