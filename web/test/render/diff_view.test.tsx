// DiffView and DiffRows as elements: marks a screen reader can read, line numbers, folded
// runs, the row cap, classes only (no style attribute), and line text kept as text.

import { describe, expect, it } from 'vitest';
import { DiffRows, DiffView, MAX_DIFF_ROWS, type DiffRow } from '../../src/render';
import { elements, expand, textOf, type El } from './vnode';

const rowsOf = (nodes: ReturnType<typeof expand>) => elements(nodes).filter((e) => e.tag === 'tr');
const cells = (tr: El) => tr.children.filter((c): c is El => typeof c !== 'string').map((td) => textOf([td]));

describe('DiffView', () => {
  const nodes = expand(<DiffView before={'a\nb\nc\n'} after={'a\nB\nc\nd\n'} path="src/x.ts" />);

  it('shows the path and the counts, for eyes and for screen readers', () => {
    const head = elements(nodes).find((e) => e.tag === 'figcaption')!;
    expect(textOf([head])).toBe('src/x.ts+2 −12 lines added, 1 removed');
    const hidden = elements([head]).find((e) => e.props['aria-hidden'] === 'true')!;
    expect(textOf([hidden])).toBe('+2 −1');
  });

  it('has one row per line: numbers, a mark read as added/removed, the text', () => {
    const rows = rowsOf(nodes);
    expect(rows.map((r) => r.props['class'])).toEqual([
      'diff-line diff-same',
      'diff-line diff-del',
      'diff-line diff-add',
      'diff-line diff-same',
      'diff-line diff-add',
    ]);
    expect(rows.map(cells)).toEqual([
      ['1', '1', '', 'a'],
      ['2', '', '−removed ', 'b'],
      ['', '2', '+added ', 'B'],
      ['3', '3', '', 'c'],
      ['', '4', '+added ', 'd'],
    ]);
    const mark = elements([rows[1]!]).filter((e) => e.tag === 'span');
    expect(mark.map((s) => [s.props['aria-hidden'] ?? null, s.props['class'] ?? null])).toEqual([
      ['true', null],
      [null, 'render-sr'],
    ]);
  });

  it('folds long unchanged runs into one row spanning the table', () => {
    const before = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 15', 'changed');
    const rows = rowsOf(expand(<DiffView before={before} after={after} />));
    const skips = rows.filter((r) => r.props['class'] === 'diff-skip');
    expect(skips.map((r) => textOf([r]))).toEqual(['⋯ 12 unchanged lines', '⋯ 11 unchanged lines']);
    expect((skips[0]!.children[0] as El).props['colSpan']).toBe(4);
  });

  it('sets no style attribute and keeps hostile line text as text', () => {
    const all = elements(expand(<DiffView before="" after={'<script>alert(1)</script>\n<img src=x onerror=alert(1)>'} />));
    expect(all.some((e) => 'style' in e.props || 'dangerouslySetInnerHTML' in e.props)).toBe(false);
    expect(new Set(all.map((e) => e.tag))).toEqual(new Set(['figure', 'figcaption', 'span', 'table', 'tbody', 'tr', 'td']));
  });
});

describe('DiffRows', () => {
  it('leaves out the number columns when no line has a number', () => {
    const rows: DiffRow[] = [
      { kind: 'del', text: 'x', oldNo: null, newNo: null },
      { kind: 'skip', count: null },
      { kind: 'add', text: 'y', oldNo: null, newNo: null },
    ];
    const trs = rowsOf(expand(<DiffRows rows={rows} />));
    expect(trs.map(cells)).toEqual([['−removed ', 'x'], ['⋯'], ['+added ', 'y']]);
    expect((trs[1]!.children[0] as El).props['colSpan']).toBe(2);
  });

  it('draws at most maxRows rows and says how many were left out', () => {
    const many: DiffRow[] = Array.from({ length: MAX_DIFF_ROWS + 5 }, (_, i) => ({
      kind: 'add',
      text: `${i}`,
      oldNo: null,
      newNo: i + 1,
    }));
    const nodes = expand(<DiffRows rows={many} path="big" />);
    expect(rowsOf(nodes)).toHaveLength(MAX_DIFF_ROWS);
    expect(textOf(elements(nodes).filter((e) => e.props['class'] === 'diff-more'))).toBe('5 more rows not shown');
    // The counts are of every line, shown or not.
    expect(textOf(elements(nodes).filter((e) => e.props['class'] === 'diff-stat-add'))).toBe(`+${MAX_DIFF_ROWS + 5}`);
    expect(rowsOf(expand(<DiffRows rows={many} maxRows={0} />))).toHaveLength(0);
  });
});
