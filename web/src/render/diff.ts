// Line diffs for showing file edits: Myers' O(ND) algorithm on the lines between the common
// prefix and suffix, bounded in lines and in edit distance (past either bound the middle is
// shown as all removed, then all added), and hunks() to fold long unchanged runs. Pure.

export type DiffKind = 'same' | 'add' | 'del';

export interface DiffLine {
  readonly kind: DiffKind;
  readonly text: string;
  /** 1-based, in the text before; null for an added line or when not known. */
  readonly oldNo: number | null;
  /** 1-based, in the text after; null for a removed line or when not known. */
  readonly newNo: number | null;
}

/** Unchanged lines left out; count is null when not known (a patch without line numbers). */
export interface DiffSkip {
  readonly kind: 'skip';
  readonly count: number | null;
}

export type DiffRow = DiffLine | DiffSkip;

/** Past this many lines on either side (after the common prefix and suffix), no search. */
export const MAX_DIFF_LINES = 4000;
/** Past this many removed plus added lines, the search stops. */
export const MAX_EDIT_DISTANCE = 1000;
/** A run of unchanged lines is folded only when it hides at least this many. */
const MIN_SKIP = 2;

/** The lines of a text: split at \n, without the empty line after a final newline. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const midA = a.slice(pre, a.length - suf);
  const midB = b.slice(pre, b.length - suf);

  let script: DiffKind[] | null = null;
  if (midA.length <= MAX_DIFF_LINES && midB.length <= MAX_DIFF_LINES) script = myers(midA, midB, MAX_EDIT_DISTANCE);
  script ??= [...new Array<DiffKind>(midA.length).fill('del'), ...new Array<DiffKind>(midB.length).fill('add')];

  const out: DiffLine[] = [];
  let x = 0;
  let y = 0;
  const same = () => {
    out.push({ kind: 'same', text: a[x]!, oldNo: x + 1, newNo: y + 1 });
    x++;
    y++;
  };
  while (x < pre) same();
  for (const kind of delsFirst(script)) {
    if (kind === 'same') same();
    else if (kind === 'del') out.push({ kind, text: a[x]!, oldNo: ++x, newNo: null });
    else out.push({ kind, text: b[y]!, oldNo: null, newNo: ++y });
  }
  while (x < a.length) same();
  return out;
}

/** Unchanged runs longer than 2 × context folded into skips; context lines kept by each change. */
export function hunks(lines: readonly DiffLine[], context = 3): DiffRow[] {
  const keep = Math.max(0, Math.floor(context));
  const out: DiffRow[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i]!.kind !== 'same') {
      out.push(lines[i]!);
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j]!.kind === 'same') j++;
    const head = i === 0 ? 0 : keep; // after a change
    const tail = j === lines.length ? 0 : keep; // before a change
    const hidden = j - i - head - tail;
    if (hidden >= MIN_SKIP) {
      out.push(...lines.slice(i, i + head), { kind: 'skip', count: hidden }, ...lines.slice(j - tail, j));
    } else {
      out.push(...lines.slice(i, j));
    }
    i = j;
  }
  return out;
}

/** Within each run of changes, removals before additions (easier to read). */
function delsFirst(script: readonly DiffKind[]): DiffKind[] {
  const out: DiffKind[] = [];
  let i = 0;
  while (i < script.length) {
    if (script[i] === 'same') {
      out.push('same');
      i++;
      continue;
    }
    let j = i;
    let dels = 0;
    while (j < script.length && script[j] !== 'same') if (script[j++] === 'del') dels++;
    for (let k = 0; k < j - i; k++) out.push(k < dels ? 'del' : 'add');
    i = j;
  }
  return out;
}

/**
 * The shortest edit script from a to b, or null when it needs more than maxD edits.
 * Keeps each round's frontier (2d + 1 numbers) for the walk back: O(maxD²) memory.
 */
function myers(a: readonly string[], b: readonly string[], maxD: number): DiffKind[] | null {
  const ids = new Map<string, number>();
  const id = (s: string) => {
    let v = ids.get(s);
    if (v === undefined) ids.set(s, (v = ids.size));
    return v;
  };
  const A = Int32Array.from(a, id);
  const B = Int32Array.from(b, id);
  const n = A.length;
  const m = B.length;
  const max = Math.min(n + m, maxD);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let end = -1;
  for (let d = 0; d <= max && end < 0; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && A[x] === B[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) end = d;
    }
    trace.push(v.slice(off - d, off + d + 1));
  }
  if (end < 0) return null;

  const script: DiffKind[] = [];
  let x = n;
  let y = m;
  for (let d = end; d > 0; d--) {
    const prev = trace[d - 1]!; // k = -(d-1) … d-1 at index k + d - 1
    const at = (k: number) => prev[k + d - 1]!;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    const startX = down ? prevX : prevX + 1;
    while (x > startX) {
      script.push('same');
      x--;
      y--;
    }
    script.push(down ? 'add' : 'del');
    x = prevX;
    y = prevY;
  }
  while (x > 0) {
    script.push('same');
    x--;
  }
  return script.reverse();
}
