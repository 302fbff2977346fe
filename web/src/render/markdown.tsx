// Assistant Markdown as Preact elements, built from the parsed tree: text is only ever text
// (never HTML), links only for http, https and mailto, images never loaded. Headings are
// shifted down two levels (# is an h3, #### and below an h6) so that a message's headings
// stay below the screen's own title; the class keeps the level written (md-h1 … md-h6).

import type { ComponentChildren, JSX } from 'preact';
import { MARKDOWN_MAX_CHARS, parseMarkdown, type Align, type Block } from './markdown_blocks';
import type { Inline } from './markdown_inline';
import './render.css';

export { MARKDOWN_MAX_CHARS, MAX_BLOCK_DEPTH, parseMarkdown, langOf, type Align, type Block } from './markdown_blocks';
export { MAX_INLINE_DEPTH, parseInline, type Inline } from './markdown_inline';

export const LINK_REL = 'noopener noreferrer nofollow';

export function Markdown({ text }: { text: string }) {
  const cut = text.length > MARKDOWN_MAX_CHARS;
  return (
    <div class="md">
      {renderBlocks(parseMarkdown(text))}
      {cut && (
        <p class="md-note">
          This message is {Math.ceil(text.length / 1024)} K characters long; only the first{' '}
          {MARKDOWN_MAX_CHARS / 1024} K are shown.
        </p>
      )}
    </div>
  );
}

function renderBlocks(blocks: readonly Block[], tight = false): ComponentChildren[] {
  return blocks.map((b) => renderBlock(b, tight));
}

function renderBlock(b: Block, tight: boolean): ComponentChildren {
  switch (b.type) {
    case 'paragraph':
      return tight ? renderInlines(b.content) : <p>{renderInlines(b.content)}</p>;
    case 'heading':
      return heading(b.level, renderInlines(b.content));
    case 'code':
      return (
        <pre class="md-pre">
          <code class={b.lang ? `lang-${b.lang}` : undefined}>{b.text}</code>
        </pre>
      );
    case 'list': {
      const items = b.items.map((item) => <li>{renderBlocks(item, b.tight)}</li>);
      return b.ordered ? <ol start={b.start === 1 ? undefined : b.start}>{items}</ol> : <ul>{items}</ul>;
    }
    case 'quote':
      return <blockquote>{renderBlocks(b.children)}</blockquote>;
    case 'rule':
      return <hr />;
    case 'table':
      return (
        <div class="md-table-wrap">
          <table class="md-table">
            <thead>
              <tr>{b.head.map((cell, k) => <th class={alignClass(b.align[k])}>{renderInlines(cell)}</th>)}</tr>
            </thead>
            <tbody>
              {b.rows.map((row) => (
                <tr>{row.map((cell, k) => <td class={alignClass(b.align[k])}>{renderInlines(cell)}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
}

function heading(level: number, children: ComponentChildren[]): JSX.Element {
  const cls = `md-h md-h${level}`;
  if (level === 1) return <h3 class={cls}>{children}</h3>;
  if (level === 2) return <h4 class={cls}>{children}</h4>;
  if (level === 3) return <h5 class={cls}>{children}</h5>;
  return <h6 class={cls}>{children}</h6>;
}

function alignClass(a: Align | undefined): string | undefined {
  return a ? `md-align-${a}` : undefined;
}

function renderInlines(nodes: readonly Inline[]): ComponentChildren[] {
  return nodes.map(renderInline);
}

function renderInline(n: Inline): ComponentChildren {
  switch (n.type) {
    case 'text':
      return n.text;
    case 'code':
      return <code class="md-code">{n.text}</code>;
    case 'break':
      return <br />;
    case 'em':
      return <em>{renderInlines(n.children)}</em>;
    case 'strong':
      return <strong>{renderInlines(n.children)}</strong>;
    case 'del':
      return <del>{renderInlines(n.children)}</del>;
    case 'link':
      return n.href ? (
        <a href={n.href} rel={LINK_REL} target="_blank">
          {renderInlines(n.children)}
        </a>
      ) : (
        <span class="md-link-off" title={n.url}>
          {renderInlines(n.children)}
        </span>
      );
    case 'image': {
      // Never an <img>: remote images are refused by the page's CSP and would tell the host
      // who is reading. A link the reader may choose to open instead.
      const label = `[image: ${n.alt}]`;
      return n.href ? (
        <a class="md-image" href={n.href} rel={LINK_REL} target="_blank">
          {label}
        </a>
      ) : (
        <span class="md-image">{label}</span>
      );
    }
  }
}
