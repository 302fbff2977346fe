// Block Markdown (paragraphs, headings, code, lists, quotes, rules, GFM tables) to a small
// tree. Pure and bounded: the input is cut to MARKDOWN_MAX_CHARS, containers nest at most
// MAX_BLOCK_DEPTH deep, and no regular expression runs over unbounded text with a choice
// to backtrack into. Incomplete text (a stream) parses too: an open fence runs to the end.

import { parseInline, type Inline } from './markdown_inline';

export type Align = 'left' | 'center' | 'right' | null;

export type Block =
  | { readonly type: 'paragraph'; readonly content: readonly Inline[] }
  | { readonly type: 'heading'; readonly level: 1 | 2 | 3 | 4 | 5 | 6; readonly content: readonly Inline[] }
  /** lang: the fence's first word, reduced to [a-z0-9_+-]; null for none and for indented code. */
  | { readonly type: 'code'; readonly lang: string | null; readonly text: string }
  /** tight: no blank line between items, so their paragraphs are shown without gaps. */
  | {
      readonly type: 'list';
      readonly ordered: boolean;
      readonly start: number;
      readonly tight: boolean;
      readonly items: readonly (readonly Block[])[];
    }
  | { readonly type: 'quote'; readonly children: readonly Block[] }
  | { readonly type: 'rule' }
  /** Rows keep the cells they have (at most the header's count). */
  | {
      readonly type: 'table';
      readonly align: readonly Align[];
      readonly head: readonly (readonly Inline[])[];
      readonly rows: readonly (readonly (readonly Inline[])[])[];
    };

/** Text beyond this many UTF-16 units is not parsed. */
export const MARKDOWN_MAX_CHARS = 200 * 1024;
/** Lists and quotes nested deeper than this are read as paragraphs. */
export const MAX_BLOCK_DEPTH = 16;
/** A table wider than this is read as a paragraph. */
const MAX_TABLE_COLUMNS = 64;

export function parseMarkdown(text: string): Block[] {
  let src = text.length > MARKDOWN_MAX_CHARS ? text.slice(0, MARKDOWN_MAX_CHARS) : text;
  const last = src.charCodeAt(src.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) src = src.slice(0, -1); // no half of a surrogate pair
  const lines = src.replace(/\r\n?/g, '\n').split('\n').map(detab);
  return parseBlocks(lines, 0);
}

function parseBlocks(lines: readonly string[], depth: number): Block[] {
  return parseSpaced(lines, depth).blocks;
}

/** The blocks, and whether a blank line stands between two of them (a loose list item). */
function parseSpaced(lines: readonly string[], depth: number): { blocks: Block[]; spaced: boolean } {
  const out: Block[] = [];
  let spaced = false;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    if (out.length > 0 && isBlank(lines[i - 1]!)) spaced = true;
    if (indentOf(line) >= 4) {
      let j = i;
      while (j < lines.length && (isBlank(lines[j]!) || indentOf(lines[j]!) >= 4)) j++;
      while (j > i && isBlank(lines[j - 1]!)) j--;
      const text = lines.slice(i, j).map((l) => l.slice(Math.min(4, indentOf(l))));
      out.push({ type: 'code', lang: null, text: text.join('\n') });
      i = j;
      continue;
    }
    const fence = openFence(line);
    if (fence) {
      let j = i + 1;
      const body: string[] = [];
      while (j < lines.length && !closesFence(lines[j]!, fence)) {
        const l = lines[j]!;
        body.push(l.slice(Math.min(fence.indent, indentOf(l))));
        j++;
      }
      out.push({ type: 'code', lang: fence.lang, text: body.join('\n') });
      i = j + 1; // past the closing fence, or the end
      continue;
    }
    const heading = atxHeading(line);
    if (heading) {
      out.push({ type: 'heading', level: heading.level, content: parseInline(heading.text) });
      i++;
      continue;
    }
    if (isRule(line)) {
      out.push({ type: 'rule' });
      i++;
      continue;
    }
    if (depth < MAX_BLOCK_DEPTH && quoteRest(line) !== null) {
      i = parseQuote(lines, i, depth, out);
      continue;
    }
    const marker = depth < MAX_BLOCK_DEPTH ? listMarker(line) : null;
    if (marker) {
      i = parseList(lines, i, marker, depth, out);
      continue;
    }
    const table = tableHead(lines, i);
    if (table) {
      i = parseTable(lines, i, table, out);
      continue;
    }
    i = parseParagraph(lines, i, depth, out);
  }
  return { blocks: out, spaced };
}

function parseParagraph(lines: readonly string[], i: number, depth: number, out: Block[]): number {
  const text: string[] = [lines[i]!.trimStart()];
  let j = i + 1;
  for (; j < lines.length; j++) {
    const l = lines[j]!;
    if (isBlank(l)) break;
    const level = setextLevel(l);
    if (level) {
      out.push({ type: 'heading', level, content: parseInline(text.join('\n').trim()) });
      return j + 1;
    }
    if (interrupts(l, depth)) break;
    text.push(l.trimStart());
  }
  out.push({ type: 'paragraph', content: parseInline(text.join('\n').trimEnd()) });
  return j;
}

function parseQuote(lines: readonly string[], i: number, depth: number, out: Block[]): number {
  const inner: string[] = [];
  let j = i;
  for (; j < lines.length; j++) {
    const l = lines[j]!;
    const rest = quoteRest(l);
    if (rest !== null) {
      inner.push(rest);
    } else if (!isBlank(l) && inner.length > 0 && !isBlank(inner[inner.length - 1]!) && !interrupts(l, depth)) {
      inner.push(l); // a lazy continuation of the quoted paragraph
    } else {
      break;
    }
  }
  out.push({ type: 'quote', children: parseBlocks(inner, depth + 1) });
  return j;
}

interface Marker {
  readonly ordered: boolean;
  readonly start: number;
  /** '-', '+', '*', or '.' / ')' after a number. */
  readonly char: string;
  /** The column the item's content starts at. */
  readonly width: number;
  readonly rest: string;
}

function parseList(lines: readonly string[], i: number, first: Marker, depth: number, out: Block[]): number {
  const items: string[][] = [];
  let item: string[] = [first.rest];
  let width = first.width;
  let blank = false;
  let tight = true;
  let j = i + 1;
  for (; j < lines.length; j++) {
    const l = lines[j]!;
    if (isBlank(l)) {
      item.push('');
      blank = true;
      continue;
    }
    if (indentOf(l) >= width) {
      item.push(l.slice(width));
      blank = false;
      continue;
    }
    const m = isRule(l) ? null : listMarker(l);
    if (m && m.ordered === first.ordered && m.char === first.char) {
      items.push(item);
      item = [m.rest];
      width = m.width;
      if (blank) tight = false;
      blank = false;
      continue;
    }
    if (!blank && !m && !interrupts(l, depth)) {
      item.push(l.trimStart()); // a lazy continuation of the item's paragraph
      continue;
    }
    break;
  }
  items.push(item);
  const blocks = items.map((lines) => {
    const inner = parseSpaced(lines, depth + 1);
    if (inner.spaced) tight = false;
    return inner.blocks;
  });
  out.push({ type: 'list', ordered: first.ordered, start: first.start, tight, items: blocks });
  while (j > i + 1 && isBlank(lines[j - 1]!)) j--; // trailing blank lines are the parent's
  return j;
}

interface TableHead {
  readonly head: string[];
  readonly align: Align[];
}

function tableHead(lines: readonly string[], i: number): TableHead | null {
  const line = lines[i]!;
  const next = lines[i + 1];
  if (next === undefined || !line.includes('|') || !next.includes('-')) return null;
  const head = splitRow(line);
  const delims = splitRow(next);
  if (head.length !== delims.length || head.length > MAX_TABLE_COLUMNS) return null;
  const align: Align[] = [];
  for (const d of delims) {
    const cell = d.trim();
    if (!/^:?-+:?$/.test(cell)) return null;
    const left = cell.startsWith(':');
    const right = cell.endsWith(':');
    align.push(left && right ? 'center' : right ? 'right' : left ? 'left' : null);
  }
  return { head, align };
}

function parseTable(lines: readonly string[], i: number, t: TableHead, out: Block[]): number {
  const rows: Inline[][][] = [];
  let j = i + 2;
  for (; j < lines.length; j++) {
    const l = lines[j]!;
    if (isBlank(l) || interrupts(l, MAX_BLOCK_DEPTH)) break;
    rows.push(
      splitRow(l)
        .slice(0, t.head.length)
        .map((c) => parseInline(c.trim())),
    );
  }
  out.push({ type: 'table', align: t.align, head: t.head.map((c) => parseInline(c.trim())), rows });
  return j;
}

/** The cells of a table row: split at `|` not escaped by `\`, outer pipes dropped. */
function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let start = 0;
  for (let k = 0; k < s.length; k++) {
    if (s[k] === '\\') k++;
    else if (s[k] === '|') {
      cells.push(s.slice(start, k));
      start = k + 1;
    }
  }
  cells.push(s.slice(start));
  return cells;
}

/** Whether a line ends a paragraph (or a lazy continuation) by starting another block. */
function interrupts(line: string, depth: number): boolean {
  if (indentOf(line) >= 4) return false;
  if (openFence(line) || atxHeading(line) || isRule(line)) return true;
  if (depth >= MAX_BLOCK_DEPTH) return false;
  if (quoteRest(line) !== null) return true;
  const m = listMarker(line);
  return m !== null && m.rest.trim() !== '' && (!m.ordered || m.start === 1);
}

interface Fence {
  readonly char: string;
  readonly length: number;
  readonly indent: number;
  readonly lang: string | null;
}

function openFence(line: string): Fence | null {
  const indent = indentOf(line);
  if (indent > 3) return null;
  const char = line[indent];
  if (char !== '`' && char !== '~') return null;
  let j = indent;
  while (line[j] === char) j++;
  const length = j - indent;
  if (length < 3) return null;
  const info = line.slice(j).trim();
  if (char === '`' && info.includes('`')) return null;
  return { char, length, indent, lang: langOf(info) };
}

function closesFence(line: string, fence: Fence): boolean {
  const indent = indentOf(line);
  if (indent > 3) return false;
  let j = indent;
  while (line[j] === fence.char) j++;
  return j - indent >= fence.length && line.slice(j).trim() === '';
}

/** A fence's first word as a class-name part: lower case, [a-z0-9_+-] only, at most 32. */
export function langOf(info: string): string | null {
  const word = info.split(/\s/, 1)[0] ?? '';
  const lang = word.toLowerCase().replace(/[^a-z0-9_+-]/g, '').slice(0, 32);
  return lang === '' ? null : lang;
}

function atxHeading(line: string): { level: 1 | 2 | 3 | 4 | 5 | 6; text: string } | null {
  const indent = indentOf(line);
  if (indent > 3 || line[indent] !== '#') return null;
  let j = indent;
  while (line[j] === '#') j++;
  const level = j - indent;
  if (level > 6) return null;
  if (j < line.length && line[j] !== ' ') return null;
  // A closing run of #s goes when it is all there is or follows a space.
  let text = line.slice(j).trim();
  let k = text.length;
  while (k > 0 && text[k - 1] === '#') k--;
  if (k === 0) text = '';
  else if (k < text.length && text[k - 1] === ' ') text = text.slice(0, k).trimEnd();
  return { level: level as 1 | 2 | 3 | 4 | 5 | 6, text };
}

function isRule(line: string): boolean {
  if (indentOf(line) > 3) return false;
  let char = '';
  let count = 0;
  for (const ch of line) {
    if (ch === ' ' || ch === '\t') continue;
    if (ch !== '*' && ch !== '-' && ch !== '_') return false;
    if (char !== '' && ch !== char) return false;
    char = ch;
    count++;
  }
  return count >= 3;
}

function setextLevel(line: string): 1 | 2 | null {
  const indent = indentOf(line);
  if (indent > 3) return null;
  const char = line[indent];
  if (char !== '=' && char !== '-') return null;
  let j = indent;
  while (line[j] === char) j++;
  if (line.slice(j).trim() !== '') return null;
  return char === '=' ? 1 : 2;
}

/** The text after a quote's `>` (and one space), or null when the line is not quoted. */
function quoteRest(line: string): string | null {
  const indent = indentOf(line);
  if (indent > 3 || line[indent] !== '>') return null;
  return line.slice(line[indent + 1] === ' ' ? indent + 2 : indent + 1);
}

function listMarker(line: string): Marker | null {
  const indent = indentOf(line);
  if (indent > 3) return null;
  let j = indent;
  let ordered = false;
  let start = 1;
  let char = line[j] ?? '';
  if (char === '-' || char === '+' || char === '*') {
    j++;
  } else {
    while (j < line.length && j - indent < 9 && line[j]! >= '0' && line[j]! <= '9') j++;
    if (j === indent) return null;
    char = line[j] ?? '';
    if (char !== '.' && char !== ')') return null;
    ordered = true;
    start = Number(line.slice(indent, j));
    j++;
  }
  if (j < line.length && line[j] !== ' ') return null;
  let spaces = 0;
  while (line[j + spaces] === ' ') spaces++;
  if (j + spaces >= line.length) return { ordered, start, char, width: j + 1, rest: '' };
  // Five or more spaces: the content is indented code one space after the marker.
  if (spaces > 4) return { ordered, start, char, width: j + 1, rest: line.slice(j + 1) };
  return { ordered, start, char, width: j + spaces, rest: line.slice(j + spaces) };
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 0x20) n++;
  return n;
}

/** Tabs in the leading white space become spaces (stops every 4 columns). */
function detab(line: string): string {
  if (!line.startsWith('\t') && !line.startsWith(' ')) return line;
  let col = 0;
  let k = 0;
  let lead = '';
  for (; k < line.length; k++) {
    const ch = line[k];
    if (ch === ' ') {
      lead += ' ';
      col++;
    } else if (ch === '\t') {
      const n = 4 - (col % 4);
      lead += ' '.repeat(n);
      col += n;
    } else {
      break;
    }
  }
  return lead + line.slice(k);
}
