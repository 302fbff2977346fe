// Markdown: the tree for each construct, streaming (incomplete) text, hostile text that must
// stay text, and the bounds on size and nesting, with adversarial inputs that would make a
// backtracking parser slow.

import { describe, expect, it } from 'vitest';
import {
  MARKDOWN_MAX_CHARS,
  MAX_BLOCK_DEPTH,
  MAX_INLINE_DEPTH,
  Markdown,
  parseInline,
  parseMarkdown,
  type Block,
  type Inline,
} from '../../src/render';
import { elements, expand, render, textOf } from './vnode';

const t = (text: string): Inline => ({ type: 'text', text });
const para = (...content: Inline[]): Block => ({ type: 'paragraph', content });
const doc = (md: string) => expand(<Markdown text={md} />);

describe('block structure', () => {
  it('splits paragraphs at blank lines and keeps soft breaks as newlines', () => {
    expect(parseMarkdown('one\ntwo\n\n  three  ')).toEqual([para(t('one\ntwo')), para(t('three'))]);
    expect(parseMarkdown('')).toEqual([]);
    expect(parseMarkdown('\n \n\t\n')).toEqual([]);
  });

  it('reads ATX headings of levels 1 to 6, with closing hashes dropped', () => {
    expect(parseMarkdown('# One\n## Two ##\n###### Six #\n#\n### a#b ###')).toEqual([
      { type: 'heading', level: 1, content: [t('One')] },
      { type: 'heading', level: 2, content: [t('Two')] },
      { type: 'heading', level: 6, content: [t('Six')] },
      { type: 'heading', level: 1, content: [] },
      { type: 'heading', level: 3, content: [t('a#b')] },
    ]);
    expect(parseMarkdown('#hashtag')).toEqual([para(t('#hashtag'))]);
    expect(parseMarkdown('####### seven')).toEqual([para(t('####### seven'))]);
  });

  it('reads setext headings', () => {
    expect(parseMarkdown('Title\n=====\nSub\n---')).toEqual([
      { type: 'heading', level: 1, content: [t('Title')] },
      { type: 'heading', level: 2, content: [t('Sub')] },
    ]);
  });

  it('reads fenced code with ``` and ~~~, keeping the first word of the info as lang', () => {
    expect(parseMarkdown('```ts title="x"\nconst a = 1;\n\n  b\n```\nafter')).toEqual([
      { type: 'code', lang: 'ts', text: 'const a = 1;\n\n  b' },
      para(t('after')),
    ]);
    expect(parseMarkdown('~~~\n```\n~~~')).toEqual([{ type: 'code', lang: null, text: '```' }]);
    expect(parseMarkdown('````md\n```\ninner\n```\n````')).toEqual([{ type: 'code', lang: 'md', text: '```\ninner\n```' }]);
    expect(parseMarkdown('  ```\n  indented\n    more\n  ```')).toEqual([{ type: 'code', lang: null, text: 'indented\n  more' }]);
  });

  it('reduces the language to [a-z0-9_+-]', () => {
    const lang = (info: string) => (parseMarkdown(`\`\`\`${info}\nx\n\`\`\``)[0] as { lang: string | null }).lang;
    expect(lang('C++')).toBe('c++');
    expect(lang('objective_c')).toBe('objective_c');
    expect(lang('"><img src=x onerror=alert(1)>')).toBe('img');
    expect(lang('{.python}')).toBe('python');
    expect(lang('%%%')).toBe(null);
    expect(lang('a'.repeat(100))).toBe('a'.repeat(32));
  });

  it('reads indented code, which cannot interrupt a paragraph', () => {
    expect(parseMarkdown('    x = 1\n\n    y = 2\n\ntext')).toEqual([
      { type: 'code', lang: null, text: 'x = 1\n\ny = 2' },
      para(t('text')),
    ]);
    expect(parseMarkdown('text\n    more')).toEqual([para(t('text\nmore'))]);
  });

  it('reads bullet lists, nested by indentation', () => {
    expect(parseMarkdown('- a\n  - b\n    - c\n- d')).toEqual([
      {
        type: 'list',
        ordered: false,
        start: 1,
        tight: true,
        items: [
          [
            para(t('a')),
            {
              type: 'list',
              ordered: false,
              start: 1,
              tight: true,
              items: [[para(t('b')), { type: 'list', ordered: false, start: 1, tight: true, items: [[para(t('c'))]] }]],
            },
          ],
          [para(t('d'))],
        ],
      },
    ]);
  });

  it('reads ordered lists with their start, and loose lists', () => {
    expect(parseMarkdown('3. three\n4) x\n\n5. five')).toEqual([
      { type: 'list', ordered: true, start: 3, tight: true, items: [[para(t('three'))]] },
      { type: 'list', ordered: true, start: 4, tight: true, items: [[para(t('x'))]] },
      { type: 'list', ordered: true, start: 5, tight: true, items: [[para(t('five'))]] },
    ]);
    expect(parseMarkdown('* a\n\n* b\n  continued\nlazy')).toEqual([
      { type: 'list', ordered: false, start: 1, tight: false, items: [[para(t('a'))], [para(t('b\ncontinued\nlazy'))]] },
    ]);
  });

  it('makes a list loose when an item holds two blocks with a blank line between them', () => {
    const tight = (md: string) => (parseMarkdown(md)[0] as { tight: boolean }).tight;
    expect(tight('- a\n\n  b\n- c')).toBe(false);
    expect(tight('- a\n  - b\n\n  - c\n- d')).toBe(true); // the blank is the inner list's
    expect(tight('- a\n\n      code\n- b')).toBe(false);
    expect(tight('- ```\n  x\n\n  y\n  ```\n- b')).toBe(true); // inside one block
    expect(tight('- a\n- b\n\n')).toBe(true);
    expect(parseMarkdown('- a\n\ntext')).toEqual([
      { type: 'list', ordered: false, start: 1, tight: true, items: [[para(t('a'))]] },
      para(t('text')),
    ]);
  });

  it('does not start an ordered list other than at 1 inside a paragraph', () => {
    expect(parseMarkdown('In\n1986. it rained')).toEqual([para(t('In\n1986. it rained'))]);
    expect(parseMarkdown('Steps:\n1. one')[1]).toMatchObject({ type: 'list', ordered: true });
  });

  it('keeps code inside list items', () => {
    expect(parseMarkdown('1. run\n\n   ```sh\n   npm test\n   ```')).toEqual([
      {
        type: 'list',
        ordered: true,
        start: 1,
        tight: false,
        items: [[para(t('run')), { type: 'code', lang: 'sh', text: 'npm test' }]],
      },
    ]);
  });

  it('reads block quotes, nested, with lazy continuation', () => {
    expect(parseMarkdown('> a\nlazy\n> > b\n\nout')).toEqual([
      { type: 'quote', children: [para(t('a\nlazy')), { type: 'quote', children: [para(t('b'))] }] },
      para(t('out')),
    ]);
  });

  it('reads horizontal rules, which win over list markers', () => {
    expect(parseMarkdown('***\n- - -\n___\n-- -')).toEqual([
      { type: 'rule' },
      { type: 'rule' },
      { type: 'rule' },
      { type: 'rule' },
    ]);
    expect(parseMarkdown('**')).toEqual([para(t('**'))]);
  });

  it('reads GFM tables with alignment, escaped pipes and ragged rows', () => {
    expect(parseMarkdown('| a | b | c |\n|:--|:-:|--:|\n| 1 | x \\| y |\n| 4 | 5 | 6 | 7 |\n\nafter')).toEqual([
      {
        type: 'table',
        align: ['left', 'center', 'right'],
        head: [[t('a')], [t('b')], [t('c')]],
        rows: [
          [[t('1')], [t('x | y')]],
          [[t('4')], [t('5')], [t('6')]],
        ],
      },
      para(t('after')),
    ]);
    expect(parseMarkdown('a | b\n--|--')).toMatchObject([{ type: 'table', align: [null, null], rows: [] }]);
    // A delimiter row that does not match the header is not a table.
    expect(parseMarkdown('a | b\n---')).toEqual([{ type: 'heading', level: 2, content: [t('a | b')] }]);
  });
});

describe('inline structure', () => {
  it('reads code spans, which take everything literally', () => {
    expect(parseInline('a `b *c*` d')).toEqual([t('a '), { type: 'code', text: 'b *c*' }, t(' d')]);
    expect(parseInline('``x ` y``')).toEqual([{ type: 'code', text: 'x ` y' }]);
    expect(parseInline('` `` `')).toEqual([{ type: 'code', text: '``' }]);
    expect(parseInline('`a\nb`')).toEqual([{ type: 'code', text: 'a b' }]);
    expect(parseInline('`open')).toEqual([t('`open')]);
  });

  it('reads emphasis, strong and strikethrough', () => {
    expect(parseInline('*a* _b_ **c** __d__ ~~e~~')).toEqual([
      { type: 'em', children: [t('a')] },
      t(' '),
      { type: 'em', children: [t('b')] },
      t(' '),
      { type: 'strong', children: [t('c')] },
      t(' '),
      { type: 'strong', children: [t('d')] },
      t(' '),
      { type: 'del', children: [t('e')] },
    ]);
    expect(parseInline('***x***')).toEqual([{ type: 'em', children: [{ type: 'strong', children: [t('x')] }] }]);
    expect(parseInline('**a *b* c**')).toEqual([
      { type: 'strong', children: [t('a '), { type: 'em', children: [t('b')] }, t(' c')] },
    ]);
  });

  it('leaves intraword underscores, lone tildes and spaced stars alone', () => {
    expect(parseInline('snake_case_name')).toEqual([t('snake_case_name')]);
    expect(parseInline('~5 min, ~~~x~~~')).toEqual([t('~5 min, ~~~x~~~')]);
    expect(parseInline('2 * 3 * 4')).toEqual([t('2 * 3 * 4')]);
    expect(parseInline('in*word*s')).toEqual([t('in'), { type: 'em', children: [t('word')] }, t('s')]);
  });

  it('reads links, autolinks and images', () => {
    expect(parseInline('[the *docs*](https://example.com/a_b "Title")')).toEqual([
      {
        type: 'link',
        url: 'https://example.com/a_b',
        href: 'https://example.com/a_b',
        children: [t('the '), { type: 'em', children: [t('docs')] }],
      },
    ]);
    expect(parseInline('<https://example.com/x?y=1> <me@example.com>')).toEqual([
      { type: 'link', url: 'https://example.com/x?y=1', href: 'https://example.com/x?y=1', children: [t('https://example.com/x?y=1')] },
      t(' '),
      { type: 'link', url: 'mailto:me@example.com', href: 'mailto:me@example.com', children: [t('me@example.com')] },
    ]);
    expect(parseInline('![a *b*](https://example.com/i.png)')).toEqual([
      { type: 'image', url: 'https://example.com/i.png', href: 'https://example.com/i.png', alt: 'a b' },
    ]);
    expect(parseInline('[a](<https://example.com/with space>)')).toEqual([
      { type: 'link', url: 'https://example.com/with space', href: 'https://example.com/with%20space', children: [t('a')] },
    ]);
    expect(parseInline('[p](https://en.wikipedia.org/wiki/Foo_(bar))')[0]).toMatchObject({
      url: 'https://en.wikipedia.org/wiki/Foo_(bar)',
    });
  });

  it('keeps brackets that make no link as text, and links out of links', () => {
    expect(parseInline('[a] (b) [c]')).toEqual([t('[a] (b) [c]')]);
    expect(parseInline('[a [b](https://x.example/)](https://y.example/)')).toEqual([
      t('[a '),
      { type: 'link', url: 'https://x.example/', href: 'https://x.example/', children: [t('b')] },
      t('](https://y.example/)'),
    ]);
    expect(parseInline('*[a*](https://x.example/)')).toEqual([
      t('*'),
      { type: 'link', url: 'https://x.example/', href: 'https://x.example/', children: [t('a*')] },
    ]);
  });

  it('reads hard breaks: two spaces or a backslash at the end of a line', () => {
    expect(parseInline('a  \nb\\\nc \nd')).toEqual([t('a'), { type: 'break' }, t('b'), { type: 'break' }, t('c\nd')]);
  });

  it('reads backslash escapes', () => {
    expect(parseInline('\\*not\\* \\[x\\](y) \\a')).toEqual([t('*not* [x](y) \\a')]);
  });
});

describe('streaming text', () => {
  it('renders an unclosed fence as code to the end', () => {
    expect(parseMarkdown('Here:\n```py\nprint(1)\nprint(')).toEqual([
      para(t('Here:')),
      { type: 'code', lang: 'py', text: 'print(1)\nprint(' },
    ]);
    expect(parseMarkdown('```')).toEqual([{ type: 'code', lang: null, text: '' }]);
  });

  it('shows dangling markers as text', () => {
    expect(parseMarkdown('This is **bold')).toEqual([para(t('This is **bold'))]);
    expect(parseMarkdown('See [the docs](https://exa')).toEqual([para(t('See [the docs](https://exa'))]);
    expect(parseMarkdown('a `code')).toEqual([para(t('a `code'))]);
    expect(parseMarkdown('| a | b |\n|--')).toEqual([para(t('| a | b |\n|--'))]);
    expect(parseMarkdown('- ')).toEqual([{ type: 'list', ordered: false, start: 1, tight: true, items: [[]] }]);
  });
});

describe('rendering', () => {
  it('builds elements for each construct', () => {
    const md = [
      '# H1',
      '#### H4',
      'Some *em*, **strong**, ~~del~~, `code` and [a link](https://example.com/).',
      '',
      '- one',
      '- two',
      '',
      '3. three',
      '',
      '> quoted',
      '',
      '```js',
      'x()',
      '```',
      '',
      '| a | b |',
      '|:-:|--:|',
      '| 1 | 2 |',
      '',
      '---',
      'line  ',
      'break ![pic](https://example.com/p.png)',
    ].join('\n');
    expect(render(<Markdown text={md} />)).toBe(
      '<div class="md">' +
        '<h3 class="md-h md-h1">H1</h3>' +
        '<h6 class="md-h md-h4">H4</h6>' +
        '<p>Some <em>em</em>, <strong>strong</strong>, <del>del</del>, <code class="md-code">code</code> and ' +
        '<a href="https://example.com/" rel="noopener noreferrer nofollow" target="_blank">a link</a>.</p>' +
        '<ul><li>one</li><li>two</li></ul>' +
        '<ol start="3"><li>three</li></ol>' +
        '<blockquote><p>quoted</p></blockquote>' +
        '<pre class="md-pre"><code class="lang-js">x()</code></pre>' +
        '<div class="md-table-wrap"><table class="md-table"><thead><tr>' +
        '<th class="md-align-center">a</th><th class="md-align-right">b</th></tr></thead>' +
        '<tbody><tr><td class="md-align-center">1</td><td class="md-align-right">2</td></tr></tbody></table></div>' +
        '<hr></hr>' +
        '<p>line<br></br>break <a class="md-image" href="https://example.com/p.png" rel="noopener noreferrer nofollow" target="_blank">[image: pic]</a></p>' +
        '</div>',
    );
  });

  it('wraps the paragraphs of loose list items, not of tight ones', () => {
    expect(render(<Markdown text={'- a\n\n- b'} />)).toBe('<div class="md"><ul><li><p>a</p></li><li><p>b</p></li></ul></div>');
  });

  it('never makes an <img>, and shows an image with an unsafe URL as plain text', () => {
    const nodes = doc('![x](javascript:alert(1)) ![y](https://example.com/y.png)');
    expect(elements(nodes).map((e) => e.tag)).toEqual(['div', 'p', 'span', 'a']);
    expect(textOf(nodes)).toBe('[image: x] [image: y]');
  });
});

/** Every tag and attribute Markdown may produce. */
const TAGS = new Set(['div', 'p', 'h3', 'h4', 'h5', 'h6', 'pre', 'code', 'ul', 'ol', 'li', 'blockquote', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'em', 'strong', 'del', 'a', 'span', 'br']);
const ATTRS = new Set(['class', 'href', 'rel', 'target', 'title', 'start']);

function expectOnlySafeElements(md: string): void {
  for (const e of elements(doc(md))) {
    expect(TAGS.has(e.tag), `tag ${e.tag} from ${md}`).toBe(true);
    for (const [k, v] of Object.entries(e.props)) {
      if (v === undefined) continue;
      expect(ATTRS.has(k), `attribute ${k} from ${md}`).toBe(true);
    }
    if (e.props['href'] !== undefined) expect(String(e.props['href'])).toMatch(/^(https?:\/\/|mailto:)/);
  }
}

describe('hostile text stays text', () => {
  const hostile = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '<style>body{display:none}</style>',
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x]( javascript:alert(1))',
    '[x](<javascript:alert(1)>)',
    '[x](java\tscript:alert(1))',
    '[x](\njavascript:alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](javascript&colon;alert(1))',
    '[x](%6Aavascript:alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[x](data:text/html,<script>alert(1)</script>)',
    '[x](vbscript:msgbox(1))',
    '[x](file:///etc/passwd)',
    '[x](//evil.example/)',
    '[x](/relative/path)',
    '<javascript:alert(1)>',
    '<data:text/html,x>',
    '![x](javascript:alert(1))',
    '![x](data:image/png;base64,AAAA)',
    '```"><script>alert(1)</script>\ncode\n```',
    '| <b>a</b> |\n|---|\n| <i>b</i> |',
    '# <h1>big</h1>',
    '`<script>`',
    '[<img src=x onerror=alert(1)>](https://example.com/)',
  ];

  it.each(hostile)('%j renders no element or attribute beyond the safe set', (md) => {
    expectOnlySafeElements(md);
    expect(render(<Markdown text={md} />)).not.toMatch(/<(script|img|style|iframe|b|i|h1)\b/);
  });

  it.each(hostile.filter((h) => h.startsWith('[x]') || h.startsWith('<j') || h.startsWith('<d') || h.startsWith('![')))(
    '%j makes no link',
    (md) => {
      expect(elements(doc(md)).filter((e) => e.props['href'] !== undefined)).toEqual([]);
    },
  );

  it('keeps the label of a refused link and says where it pointed', () => {
    expect(render(<Markdown text="[click](javascript:alert(1))" />)).toBe(
      '<div class="md"><p><span class="md-link-off" title="javascript:alert(1)">click</span></p></div>',
    );
  });

  it('shows raw HTML as the text it is', () => {
    expect(textOf(doc('<img src=x onerror=alert(1)>'))).toBe('<img src=x onerror=alert(1)>');
    expect(textOf(doc('&#106;&lt;'))).toBe('&#106;&lt;');
  });
});

describe('bounds', () => {
  it('parses only the first MARKDOWN_MAX_CHARS and says so', () => {
    const text = 'a'.repeat(MARKDOWN_MAX_CHARS + 100);
    const blocks = parseMarkdown(text);
    expect(blocks).toEqual([para(t('a'.repeat(MARKDOWN_MAX_CHARS)))]);
    const nodes = doc(text);
    const note = elements(nodes).find((e) => e.props['class'] === 'md-note');
    expect(note && textOf([note])).toMatch(/only the first 200 K are shown/);
    expect(elements(doc('short')).some((e) => e.props['class'] === 'md-note')).toBe(false);
  });

  it('does not cut a surrogate pair in half', () => {
    const text = 'a'.repeat(MARKDOWN_MAX_CHARS - 1) + '😀';
    const [block] = parseMarkdown(text);
    expect(block).toEqual(para(t('a'.repeat(MARKDOWN_MAX_CHARS - 1))));
  });

  it('nests quotes and lists at most MAX_BLOCK_DEPTH deep', () => {
    const depthOf = (blocks: readonly Block[]): number => {
      let max = 0;
      for (const b of blocks) {
        if (b.type === 'quote') max = Math.max(max, 1 + depthOf(b.children));
        if (b.type === 'list') for (const item of b.items) max = Math.max(max, 1 + depthOf(item));
      }
      return max;
    };
    expect(depthOf(parseMarkdown('>'.repeat(100) + ' deep'))).toBe(MAX_BLOCK_DEPTH);
    const list = Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- x${i}`).join('\n');
    expect(depthOf(parseMarkdown(list))).toBe(MAX_BLOCK_DEPTH);
    expect(textOf(doc(list))).toContain('x39');
  });

  it('nests emphasis at most MAX_INLINE_DEPTH deep, keeping the text', () => {
    const n = 200;
    const src = '_a *a '.repeat(n) + 'a* a_ '.repeat(n);
    const depthOf = (nodes: readonly Inline[]): number =>
      Math.max(0, ...nodes.map((x) => ('children' in x ? 1 + depthOf(x.children) : 0)));
    const tree = parseInline(src.trim());
    expect(depthOf(tree)).toBe(MAX_INLINE_DEPTH);
    const plain = (nodes: readonly Inline[]): string =>
      nodes.map((x) => ('children' in x ? plain(x.children) : 'text' in x ? x.text : '')).join('');
    expect(plain(tree)).toBe(src.trim().replaceAll('*', '').replaceAll('_', ''));
  });

  it('stays linear on adversarial input, with the right output', () => {
    expect(parseMarkdown('*'.repeat(100000))).toEqual([{ type: 'rule' }]);
    expect(parseMarkdown('x' + '*'.repeat(100000))).toEqual([para(t('x' + '*'.repeat(100000)))]);
    expect(parseMarkdown('['.repeat(50000))).toEqual([para(t('['.repeat(50000)))]);
    expect(parseMarkdown(']'.repeat(50000))).toEqual([para(t(']'.repeat(50000)))]);
    expect(parseMarkdown('`'.repeat(100000))).toEqual([{ type: 'code', lang: null, text: '' }]);
    expect(parseMarkdown('x' + '`'.repeat(100000))).toEqual([para(t('x' + '`'.repeat(100000)))]);
    expect(parseMarkdown('<'.repeat(100000))).toEqual([para(t('<'.repeat(100000)))]);
    expect(parseMarkdown('\\'.repeat(100000))).toEqual([para(t('\\'.repeat(50000)))]);
    expect(parseMarkdown('[a](' + 'b('.repeat(20000))).toEqual([para(t('[a](' + 'b('.repeat(20000)))]);
    const brackets = '[]('.repeat(10000);
    expect(parseMarkdown(brackets)).toEqual([para(t(brackets))]);
    const stars = '*a'.repeat(20000);
    const inline = parseInline(stars);
    expect(inline.filter((x) => x.type === 'em')).toHaveLength(10000);
    expect(parseMarkdown('# ' + ' '.repeat(100000) + '#x')).toEqual([{ type: 'heading', level: 1, content: [t('#x')] }]);
    const table = '|a'.repeat(64) + '|\n' + '|-'.repeat(64) + '|\n' + '|\n'.repeat(5000);
    const [tb] = parseMarkdown(table);
    expect(tb).toMatchObject({ type: 'table' });
    expect(tb?.type === 'table' && tb.rows.length).toBe(5000);
    const wide = '|a'.repeat(65) + '|\n' + '|-'.repeat(65) + '|';
    expect(parseMarkdown(wide)[0]?.type).toBe('paragraph');
  });
});
