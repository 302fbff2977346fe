// Diff texts agents send instead of before/after: unified diffs (git, jsdiff's
// createTwoFilesPatch, or bare hunks as Codex sends them) and the "*** Begin Patch" format of
// apply_patch tools. Pure; read as rows for DiffView, never re-diffed.

import { splitLines, type DiffRow } from './diff';

export interface DiffFile {
  /** null when the text names no file (bare hunks). */
  readonly path: string | null;
  readonly kind: 'add' | 'delete' | 'update' | null;
  readonly movedTo: string | null;
  readonly rows: readonly DiffRow[];
}

interface Building {
  path: string | null;
  kind: 'add' | 'delete' | 'update' | null;
  movedTo: string | null;
  rows: DiffRow[];
  hunks: number;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

function building(path: string | null = null, kind: Building['kind'] = null): Building {
  return { path, kind, movedTo: null, rows: [], hunks: 0 };
}

function done(b: Building): DiffFile {
  return { path: b.path, kind: b.kind, movedTo: b.movedTo, rows: b.rows };
}

/** The files of a unified diff, or null when the text holds no hunk. */
export function parseUnifiedDiff(text: string): DiffFile[] | null {
  const files: Building[] = [];
  let cur: Building | null = null;
  const open = (b: Building): Building => {
    files.push(b);
    return b;
  };
  let oldPath: string | null = null;
  let sawHunk = false;
  // Inside a hunk: lines left on each side (numbered hunks), or lenient (a bare "@@").
  let oldLeft = 0;
  let newLeft = 0;
  let lenient = false;
  let oldNo = 0;
  let newNo = 0;

  for (const line of splitLines(text)) {
    if (oldLeft > 0 || newLeft > 0) {
      const c = line[0] ?? ' ';
      if (c === '\\') continue; // "\ No newline at end of file"
      if (c === ' ' && oldLeft > 0 && newLeft > 0) {
        cur!.rows.push({ kind: 'same', text: line.slice(1), oldNo: oldNo++, newNo: newNo++ });
        oldLeft--;
        newLeft--;
        continue;
      }
      if (c === '-' && oldLeft > 0) {
        cur!.rows.push({ kind: 'del', text: line.slice(1), oldNo: oldNo++, newNo: null });
        oldLeft--;
        continue;
      }
      if (c === '+' && newLeft > 0) {
        cur!.rows.push({ kind: 'add', text: line.slice(1), oldNo: null, newNo: newNo++ });
        newLeft--;
        continue;
      }
      oldLeft = newLeft = 0; // a short hunk: read the line as a header
    } else if (lenient) {
      const c = line[0] ?? ' ';
      if (c === '\\') continue;
      if (c === ' ' || c === '-' || c === '+') {
        const kind = c === ' ' ? 'same' : c === '-' ? 'del' : 'add';
        cur!.rows.push({ kind, text: line.slice(1), oldNo: null, newNo: null });
        continue;
      }
      lenient = false;
    }

    if (line.startsWith('diff --git ')) {
      const b = line.lastIndexOf(' b/');
      cur = open(building(b > 0 ? line.slice(b + 3) : null, 'update'));
      oldPath = null;
    } else if (line.startsWith('Index: ')) {
      cur = open(building(line.slice(7).trim(), 'update'));
      oldPath = null;
    } else if (line.startsWith('--- ')) {
      if (cur && cur.hunks > 0) cur = null; // the next file's header
      oldPath = headerPath(line.slice(4));
    } else if (line.startsWith('+++ ')) {
      const newPath = headerPath(line.slice(4));
      const c = (cur ??= open(building()));
      c.kind = oldPath === '/dev/null' ? 'add' : newPath === '/dev/null' ? 'delete' : 'update';
      c.path = newPath === '/dev/null' ? oldPath : newPath;
      if (oldPath && newPath !== '/dev/null' && oldPath !== '/dev/null' && oldPath !== newPath) c.movedTo = newPath;
      if (c.movedTo) c.path = oldPath;
    } else if (line.startsWith('@@')) {
      sawHunk = true;
      const c = (cur ??= open(building()));
      const m = HUNK.exec(line);
      if (m) {
        const a = Number(m[1]);
        const aLen = m[2] === undefined ? 1 : Number(m[2]);
        const b = Number(m[3]);
        const bLen = m[4] === undefined ? 1 : Number(m[4]);
        // An empty old side names the line before it, so its first line is a + 1.
        const first = aLen === 0 ? a + 1 : a;
        // Lines between the last old line shown (or the file's start) and this hunk.
        const gap = first - (c.hunks > 0 ? oldNo : 1);
        if (gap > 0) c.rows.push({ kind: 'skip', count: gap });
        oldNo = first;
        newNo = bLen === 0 ? b + 1 : b;
        oldLeft = aLen;
        newLeft = bLen;
      } else {
        if (c.hunks > 0) c.rows.push({ kind: 'skip', count: null });
        lenient = true;
      }
      c.hunks++;
    }
    // Anything else outside a hunk ("index …", "new file mode", "====") says nothing to show.
  }
  return sawHunk ? files.map(done) : null;
}

/** A ---/+++ header's path: no timestamp after a tab, no git a/ b/ prefix. */
function headerPath(raw: string): string {
  const tab = raw.indexOf('\t');
  const path = (tab >= 0 ? raw.slice(0, tab) : raw).trim();
  return path.startsWith('a/') || path.startsWith('b/') ? path.slice(2) : path;
}

/** The files of an apply_patch text ("*** Begin Patch" … "*** End Patch"), or null. */
export function parsePatchText(text: string): DiffFile[] | null {
  const files: Building[] = [];
  let newNo = 1;
  for (const line of splitLines(text)) {
    const header = PATCH_FILE.find(([prefix]) => line.startsWith(prefix));
    if (header) {
      files.push(building(line.slice(header[0].length).trim(), header[1]));
      newNo = 1;
      continue;
    }
    const cur = files[files.length - 1];
    if (!cur || line.startsWith('*** ')) {
      if (cur && line.startsWith('*** Move to: ')) cur.movedTo = line.slice(13).trim();
      continue; // Begin Patch, End Patch, End of File, and anything before the first file
    }
    if (cur.kind === 'add') {
      if (line.startsWith('+')) cur.rows.push({ kind: 'add', text: line.slice(1), oldNo: null, newNo: newNo++ });
    } else if (cur.kind === 'update') {
      if (line.startsWith('@@')) {
        if (cur.hunks++ > 0) cur.rows.push({ kind: 'skip', count: null });
        continue;
      }
      const ch = line[0] ?? ' ';
      if (ch === ' ' || ch === '-' || ch === '+') {
        const kind = ch === ' ' ? 'same' : ch === '-' ? 'del' : 'add';
        cur.rows.push({ kind, text: line.slice(1), oldNo: null, newNo: null });
      }
    }
  }
  return files.length > 0 ? files.map(done) : null;
}

const PATCH_FILE: readonly (readonly [string, Building['kind']])[] = [
  ['*** Add File: ', 'add'],
  ['*** Delete File: ', 'delete'],
  ['*** Update File: ', 'update'],
];
