// Line diffs (small cases, a property check on seeded random inputs, minimality against an
// LCS table, the bounds), hunks, and reading unified diffs and apply_patch texts.

import { describe, expect, it } from 'vitest';
import {
  MAX_DIFF_LINES,
  MAX_EDIT_DISTANCE,
  diffLines,
  hunks,
  parsePatchText,
  parseUnifiedDiff,
  splitLines,
  type DiffLine,
} from '../../src/render';
import { rng } from '../state/fixtures';

const same = (text: string, oldNo: number, newNo: number): DiffLine => ({ kind: 'same', text, oldNo, newNo });
const del = (text: string, oldNo: number | null): DiffLine => ({ kind: 'del', text, oldNo, newNo: null });
const add = (text: string, newNo: number | null): DiffLine => ({ kind: 'add', text, oldNo: null, newNo });
const kinds = (lines: readonly { kind: string }[]) => lines.map((l) => l.kind[0]).join('');

function lcsLength(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = x === b[j - 1] ? diag + 1 : Math.max(row[j]!, row[j - 1]!);
      diag = up;
    }
  }
  return row[b.length]!;
}

function joined(lines: readonly DiffLine[], keep: 'add' | 'del'): string[] {
  return lines.filter((l) => l.kind === 'same' || l.kind === keep).map((l) => l.text);
}

describe('splitLines', () => {
  it('drops only the empty line after a final newline', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a')).toEqual(['a']);
    expect(splitLines('a\n')).toEqual(['a']);
    expect(splitLines('a\n\n')).toEqual(['a', '']);
    expect(splitLines('\n')).toEqual(['']);
  });
});

describe('diffLines', () => {
  it('diffs small texts with line numbers on both sides', () => {
    expect(diffLines('a\nb\nc\n', 'a\nc\nd\n')).toEqual([same('a', 1, 1), del('b', 2), same('c', 3, 2), add('d', 3)]);
    expect(diffLines('', '')).toEqual([]);
    expect(diffLines('', 'x\ny')).toEqual([add('x', 1), add('y', 2)]);
    expect(diffLines('x\ny\n', '')).toEqual([del('x', 1), del('y', 2)]);
    expect(diffLines('same\n', 'same\n')).toEqual([same('same', 1, 1)]);
  });

  it('puts removals before additions within a change', () => {
    expect(kinds(diffLines('a\nb\nc\nd', 'a\nB\nC\nd'))).toBe('sddaas');
    expect(kinds(diffLines('x\n1\n2\ny', 'x\n3\ny'))).toBe('sddas');
  });

  it('finds a shortest script: same lines equal the longest common subsequence', () => {
    const rnd = rng(42);
    for (let n = 0; n < 300; n++) {
      const make = () =>
        Array.from({ length: Math.floor(rnd() * 25) }, () => 'abcde'[Math.floor(rnd() * 5)]!);
      const a = make();
      const b = make();
      const d = diffLines(a.join('\n'), b.join('\n'));
      expect(joined(d, 'del')).toEqual(a);
      expect(joined(d, 'add')).toEqual(b);
      expect(d.filter((l) => l.kind === 'same')).toHaveLength(lcsLength(a, b));
    }
  });

  it('numbers every line once on each side it belongs to', () => {
    const rnd = rng(7);
    for (let n = 0; n < 100; n++) {
      const make = () => Array.from({ length: Math.floor(rnd() * 40) }, () => `l${Math.floor(rnd() * 8)}`);
      const a = make();
      const b = make();
      const d = diffLines(a.join('\n'), b.join('\n'));
      expect(d.flatMap((l) => (l.oldNo === null ? [] : [l.oldNo]))).toEqual(a.map((_, i) => i + 1));
      expect(d.flatMap((l) => (l.newNo === null ? [] : [l.newNo]))).toEqual(b.map((_, i) => i + 1));
    }
  });

  it('finds one change in a long file quickly (common prefix and suffix)', () => {
    const lines = Array.from({ length: 50000 }, (_, i) => `line ${i}`);
    const changed = [...lines];
    changed[25000] = 'changed';
    const d = diffLines(lines.join('\n'), changed.join('\n'));
    expect(d.filter((l) => l.kind !== 'same')).toEqual([del('line 25000', 25001), add('changed', 25001)]);
  });

  it('falls back to all removed then all added past MAX_DIFF_LINES', () => {
    const a = Array.from({ length: MAX_DIFF_LINES + 1 }, (_, i) => `a${i}`);
    const b = [...a.slice(0, 10).map((x) => `${x}!`), ...a.slice(10)];
    b.reverse();
    const d = diffLines(a.join('\n'), b.join('\n'));
    expect(kinds(d)).toBe('d'.repeat(a.length) + 'a'.repeat(b.length));
    expect(joined(d, 'del')).toEqual(a);
    expect(joined(d, 'add')).toEqual(b);
  });

  it('falls back past MAX_EDIT_DISTANCE, keeping the common prefix and suffix', () => {
    const n = MAX_EDIT_DISTANCE; // n removed + n added is past the bound
    const a = ['top', ...Array.from({ length: n }, (_, i) => `old ${i}`), 'bottom'];
    const b = ['top', ...Array.from({ length: n }, (_, i) => `new ${i}`), 'bottom'];
    const d = diffLines(a.join('\n'), b.join('\n'));
    expect(kinds(d)).toBe(`s${'d'.repeat(n)}${'a'.repeat(n)}s`);
    expect(d[d.length - 1]).toEqual(same('bottom', n + 2, n + 2));
  });

  it('still searches just under the bound', () => {
    const n = MAX_EDIT_DISTANCE / 2 - 1;
    const a = Array.from({ length: 2 * n }, (_, i) => (i % 2 ? `keep ${i}` : `old ${i}`));
    const b = Array.from({ length: 2 * n }, (_, i) => (i % 2 ? `keep ${i}` : `new ${i}`));
    const d = diffLines(a.join('\n'), b.join('\n'));
    expect(d.filter((l) => l.kind === 'same')).toHaveLength(n);
  });
});

describe('hunks', () => {
  const file = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}`).join('\n');

  it('folds unchanged runs, keeping context lines by each change', () => {
    const before = file(20);
    const after = before.replace('\n10\n', '\nten\n');
    const rows = hunks(diffLines(before, after));
    expect(rows.map((r) => (r.kind === 'skip' ? `skip ${r.count}` : `${r.kind} ${r.text}`))).toEqual([
      'skip 6',
      'same 7',
      'same 8',
      'same 9',
      'del 10',
      'add ten',
      'same 11',
      'same 12',
      'same 13',
      'skip 7',
    ]);
  });

  it('keeps a run that would hide fewer than two lines, and takes the context asked for', () => {
    const before = file(9);
    const after = before.replace(/^1$/m, 'one').replace(/^9$/m, 'nine');
    expect(hunks(diffLines(before, after)).some((r) => r.kind === 'skip')).toBe(false); // 7 between: hides 1
    const rows = hunks(diffLines(before, after), 1);
    expect(rows.find((r) => r.kind === 'skip')).toEqual({ kind: 'skip', count: 5 });
    expect(hunks(diffLines(before, after), 0).find((r) => r.kind === 'skip')).toEqual({ kind: 'skip', count: 7 });
  });

  it('folds an unchanged text into one skip', () => {
    expect(hunks(diffLines(file(10), file(10)))).toEqual([{ kind: 'skip', count: 10 }]);
    expect(hunks([])).toEqual([]);
  });
});

describe('parseUnifiedDiff', () => {
  it('reads a git diff: paths, hunks, line numbers, gaps', () => {
    const text = [
      'diff --git a/src/app.ts b/src/app.ts',
      'index 83db48f..bf269f4 100644',
      '--- a/src/app.ts',
      '+++ b/src/app.ts',
      '@@ -3,3 +3,3 @@ function f() {',
      ' keep',
      '-old',
      '+new',
      ' keep2',
      '@@ -20,2 +20,3 @@',
      ' x',
      '+added',
      ' y',
      '\\ No newline at end of file',
    ].join('\n');
    expect(parseUnifiedDiff(text)).toEqual([
      {
        path: 'src/app.ts',
        kind: 'update',
        movedTo: null,
        rows: [
          { kind: 'skip', count: 2 },
          same('keep', 3, 3),
          del('old', 4),
          add('new', 4),
          same('keep2', 5, 5),
          { kind: 'skip', count: 14 },
          same('x', 20, 20),
          add('added', 21),
          same('y', 21, 22),
        ],
      },
    ]);
  });

  it('reads bare hunks (Codex) and reads "---" inside a hunk as a removed line', () => {
    expect(parseUnifiedDiff('@@ -1,2 +1,2 @@\n--- a comment\n+++ b\n ctx\n')).toEqual([
      { path: null, kind: null, movedTo: null, rows: [del('-- a comment', 1), add('++ b', 1), same('ctx', 2, 2)] },
    ]);
  });

  it('reads jsdiff output (OpenCode) and several files, with new and deleted ones', () => {
    const text = [
      'Index: /w/a.txt',
      '===================================================================',
      '--- /w/a.txt',
      '+++ /w/a.txt',
      '@@ -1,1 +1,1 @@',
      '-a',
      '+b',
      '--- /dev/null',
      '+++ b/new.txt',
      '@@ -0,0 +1,2 @@',
      '+one',
      '+two',
      '--- a/gone.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
    ].join('\n');
    expect(parseUnifiedDiff(text)).toEqual([
      { path: '/w/a.txt', kind: 'update', movedTo: null, rows: [del('a', 1), add('b', 1)] },
      { path: 'new.txt', kind: 'add', movedTo: null, rows: [add('one', 1), add('two', 2)] },
      { path: 'gone.txt', kind: 'delete', movedTo: null, rows: [del('bye', 1)] },
    ]);
  });

  it('reads a rename and a hunk header without numbers', () => {
    expect(parseUnifiedDiff('--- a/old.ts\n+++ b/new.ts\n@@\n-x\n+y\n@@\n z')).toEqual([
      {
        path: 'old.ts',
        kind: 'update',
        movedTo: 'new.ts',
        rows: [del('x', null), add('y', null), { kind: 'skip', count: null }, { kind: 'same', text: 'z', oldNo: null, newNo: null }],
      },
    ]);
  });

  it('stops a hunk at its counts, and a short hunk at the next header', () => {
    const rows = parseUnifiedDiff('@@ -1,5 +1,5 @@\n-a\n+b\n@@ -9 +9 @@\n-c\n+d\ntrailing words')![0]!.rows;
    expect(rows).toEqual([del('a', 1), add('b', 1), { kind: 'skip', count: 7 }, del('c', 9), add('d', 9)]);
  });

  it('is null for text that holds no hunk', () => {
    expect(parseUnifiedDiff('just some text\n--- not a diff')).toBeNull();
    expect(parseUnifiedDiff('')).toBeNull();
  });
});

describe('parsePatchText', () => {
  it('reads added, updated, moved and deleted files', () => {
    const text = [
      '*** Begin Patch',
      '*** Add File: docs/new.md',
      '+# New',
      '+text',
      '*** Update File: src/a.ts',
      '*** Move to: src/b.ts',
      '@@ function f()',
      ' keep',
      '-old',
      '+new',
      '@@',
      ' later',
      '*** End of File',
      '*** Delete File: old.txt',
      '*** End Patch',
    ].join('\n');
    const none = (kind: 'same' | 'add' | 'del', text: string) => ({ kind, text, oldNo: null, newNo: null });
    expect(parsePatchText(text)).toEqual([
      { path: 'docs/new.md', kind: 'add', movedTo: null, rows: [add('# New', 1), add('text', 2)] },
      {
        path: 'src/a.ts',
        kind: 'update',
        movedTo: 'src/b.ts',
        rows: [none('same', 'keep'), none('del', 'old'), none('add', 'new'), { kind: 'skip', count: null }, none('same', 'later')],
      },
      { path: 'old.txt', kind: 'delete', movedTo: null, rows: [] },
    ]);
  });

  it('is null for text that names no file', () => {
    expect(parsePatchText('*** Begin Patch\n*** End Patch')).toBeNull();
    expect(parsePatchText('+just a line')).toBeNull();
  });
});
