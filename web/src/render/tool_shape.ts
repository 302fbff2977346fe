// What a tool call's input is, for showing it: file edits as diffs, a shell command, a
// lookup (path, pattern, URL, query), a todo list, a plan, or plain fields. Pure. Knows the
// tool names and inputs of the three providers' adapters:
//   Claude Code: Edit, MultiEdit, Write, NotebookEdit, Bash, Read, Glob, Grep, LS, WebFetch,
//     WebSearch, Task, TodoWrite, ExitPlanMode … with the model's own input;
//   Codex: command_execution {command, cwd, reason?, command_actions?, argv?, network?},
//     file_change {changes: [{path, kind: {type, move_path?} | string, diff}], reason?,
//     grant_root?}, web_search {query}, mcp__server__tool and dynamic tools;
//   OpenCode: bash, edit, write, apply_patch / patch {patchText}, multiedit, read, glob,
//     grep, list, webfetch, websearch, todowrite, task … with OpenCode's input, and for a
//     permission question without a tool call, its metadata (edit: {filepath, diff}).

import { diffLines, hunks, splitLines, type DiffLine, type DiffRow } from './diff';
import { parsePatchText, parseUnifiedDiff, type DiffFile } from './unified_diff';

export type Field = readonly [key: string, value: unknown];

export interface FileEdit {
  readonly path: string;
  /** What happens to the file besides the diff (a move, "every occurrence"), or null. */
  readonly note: string | null;
  /** null when there is no diff to show. */
  readonly rows: readonly DiffRow[] | null;
  /** A diff text that could not be read as one: shown as it is. */
  readonly text: string | null;
}

export type ToolShape =
  | {
      readonly kind: 'edits';
      readonly description: string | null;
      readonly files: readonly FileEdit[];
      readonly notes: readonly string[];
      readonly fields: readonly Field[];
    }
  | { readonly kind: 'command'; readonly description: string | null; readonly command: string; readonly fields: readonly Field[] }
  | { readonly kind: 'lookup'; readonly target: string; readonly fields: readonly Field[] }
  | { readonly kind: 'todos'; readonly todos: readonly Todo[]; readonly fields: readonly Field[] }
  | { readonly kind: 'markdown'; readonly text: string; readonly fields: readonly Field[] }
  | { readonly kind: 'json'; readonly fields: readonly Field[] };

export interface Todo {
  readonly text: string;
  /** pending, in_progress, completed, cancelled, or what the model wrote. */
  readonly status: string;
}

type Input = Readonly<Record<string, unknown>>;

/** Tools whose calls change files. */
export const EDIT_TOOLS: ReadonlySet<string> = new Set([
  'Edit',
  'MultiEdit',
  'Write',
  'NotebookEdit',
  'edit',
  'multiedit',
  'write',
  'patch',
  'apply_patch',
  'file_change',
]);

/** Tools whose calls run a command line. */
export const SHELL_TOOLS: ReadonlySet<string> = new Set(['Bash', 'bash', 'command_execution', 'shell', 'exec', 'local_shell']);

/** Tools summed up by one value: the key holding it. */
export const LOOKUPS: Readonly<Record<string, string>> = {
  Read: 'file_path',
  read: 'filePath',
  NotebookRead: 'notebook_path',
  Glob: 'pattern',
  glob: 'pattern',
  Grep: 'pattern',
  grep: 'pattern',
  LS: 'path',
  list: 'path',
  WebFetch: 'url',
  webfetch: 'url',
  WebSearch: 'query',
  websearch: 'query',
  web_search: 'query',
  codesearch: 'query',
  Task: 'description',
  task: 'description',
  external_directory: 'filepath',
  BashOutput: 'bash_id',
  KillShell: 'shell_id',
};

export const TODO_TOOLS: ReadonlySet<string> = new Set(['TodoWrite', 'todowrite']);

const cache = new WeakMap<object, Map<string, ToolShape>>();

/** The shape of a call, remembered per input object (inputs in a SessionView do not change). */
export function describeTool(tool: string, input: Input): ToolShape {
  let byTool = cache.get(input);
  const hit = byTool?.get(tool);
  if (hit) return hit;
  const shape = describe(tool, input);
  if (!byTool) cache.set(input, (byTool = new Map()));
  byTool.set(tool, shape);
  return shape;
}

function describe(tool: string, input: Input): ToolShape {
  if (EDIT_TOOLS.has(tool)) {
    const edits = fileEdits(input);
    if (edits) return edits;
  }
  if (SHELL_TOOLS.has(tool)) {
    const command = commandOf(input);
    if (command !== null) {
      return {
        kind: 'command',
        command,
        description: text(input, 'description') ?? text(input, 'reason'),
        fields: rest(input, ['command', 'description', 'reason', 'argv', 'command_actions']),
      };
    }
  }
  const key = LOOKUPS[tool];
  const target = key ? text(input, key) : null;
  if (key && target !== null) return { kind: 'lookup', target, fields: rest(input, [key]) };
  if (TODO_TOOLS.has(tool) && Array.isArray(input['todos'])) {
    return { kind: 'todos', todos: input['todos'].map(todoOf), fields: rest(input, ['todos']) };
  }
  if (tool === 'ExitPlanMode' && typeof input['plan'] === 'string') {
    return { kind: 'markdown', text: input['plan'], fields: rest(input, ['plan']) };
  }
  return { kind: 'json', fields: Object.entries(input) };
}

/** File edits in any of the input shapes the providers send, or null for none of them. */
function fileEdits(input: Input): ToolShape | null {
  const path = pathOf(input) ?? '';
  const changes = input['changes'];
  if (Array.isArray(changes)) {
    const notes = input['changes_truncated'] === true ? ['The list of changes was cut short.'] : [];
    return edits(input, changes.filter(isObject).map(codexChange), ['changes', 'changes_truncated', 'reason'], notes);
  }
  const patchText = text(input, 'patchText');
  if (patchText !== null) {
    const files = parsePatchText(patchText) ?? parseUnifiedDiff(patchText);
    const shown = files ? files.map(fromDiffFile) : [{ path: '', note: null, rows: null, text: patchText }];
    return edits(input, shown, ['patchText']);
  }
  const list = input['edits'];
  if (Array.isArray(list)) {
    const items = list.filter(isObject);
    const shown = items.map((e, k) => {
      const note = `edit ${k + 1} of ${items.length}` + (replaceAll(e) ? ', every occurrence' : '');
      return snippet(pathOf(e) ?? path, oldText(e), newText(e), note);
    });
    return edits(input, shown, ['file_path', 'filePath', 'edits']);
  }
  const before = oldText(input);
  const after = newText(input);
  if (before !== null || after !== null) {
    const keys = ['file_path', 'filePath', 'old_string', 'new_string', 'oldString', 'newString', 'replace_all', 'replaceAll'];
    return edits(input, [snippet(path, before, after, replaceAll(input) ? 'every occurrence' : null)], keys);
  }
  const source = text(input, 'new_source');
  if (source !== null || input['edit_mode'] === 'delete') return edits(input, [notebookEdit(input)], NOTEBOOK_KEYS);
  const content = text(input, 'content');
  if (content !== null) {
    return edits(input, [{ path, note: null, rows: numbered('add', content), text: null }], ['file_path', 'filePath', 'content']);
  }
  const diff = text(input, 'diff');
  if (diff !== null) {
    const files = parseUnifiedDiff(diff);
    const shown = files
      ? files.map((f) => ({ ...fromDiffFile(f), path: f.path ?? path }))
      : [{ path, note: null, rows: null, text: diff }];
    return edits(input, shown, ['filepath', 'diff']);
  }
  return null;
}

function edits(input: Input, files: FileEdit[], used: readonly string[], notes: string[] = []): ToolShape {
  return { kind: 'edits', description: text(input, 'reason'), files, notes, fields: rest(input, ['reason', ...used]) };
}

/** A replaced snippet: its line numbers are the snippet's, not the file's, so none are shown. */
function snippet(path: string, before: string | null, after: string | null, note: string | null): FileEdit {
  const rows = hunks(diffLines(before ?? '', after ?? '')).map((r) =>
    r.kind === 'skip' ? r : { ...r, oldNo: null, newNo: null },
  );
  return { path, note, rows, text: null };
}

/** Every line of a text as added (a new file) or removed (a deleted one), numbered. */
function numbered(kind: 'add' | 'del', content: string): DiffLine[] {
  return splitLines(content).map((line, k) => ({
    kind,
    text: line,
    oldNo: kind === 'del' ? k + 1 : null,
    newNo: kind === 'add' ? k + 1 : null,
  }));
}

/** One of Codex's file changes: {path, kind: {type, move_path?} | string, diff[, diff_truncated]}. */
function codexChange(change: Input): FileEdit {
  const path = text(change, 'path') ?? '';
  const kindValue = change['kind'];
  const kind = typeof kindValue === 'string' ? kindValue : isObject(kindValue) ? text(kindValue, 'type') : null;
  const movedTo = isObject(kindValue) ? (text(kindValue, 'move_path') ?? text(kindValue, 'movePath')) : null;
  const diff = text(change, 'diff') ?? '';
  const notes: string[] = [];
  if (movedTo) notes.push(`moved to ${movedTo}`);
  if (change['diff_truncated'] === true) notes.push('diff cut short');
  let rows: DiffRow[] | null = null;
  let shownText: string | null = null;
  if (kind === 'add') {
    notes.unshift('new file');
    rows = numbered('add', diff);
  } else if (kind === 'delete') {
    notes.unshift('deleted');
    rows = diff === '' ? null : numbered('del', diff);
  } else if (diff !== '') {
    const files = parseUnifiedDiff(diff);
    if (files) rows = files.flatMap((f) => f.rows);
    else shownText = diff;
  }
  return { path, note: notes.length > 0 ? notes.join(', ') : null, rows, text: shownText };
}

function fromDiffFile(f: DiffFile): FileEdit {
  const notes: string[] = [];
  if (f.kind === 'add') notes.push('new file');
  if (f.kind === 'delete') notes.push('deleted');
  if (f.movedTo) notes.push(`moved to ${f.movedTo}`);
  return {
    path: f.path ?? '',
    note: notes.length > 0 ? notes.join(', ') : null,
    rows: f.kind === 'delete' && f.rows.length === 0 ? null : f.rows,
    text: null,
  };
}

const NOTEBOOK_KEYS = ['notebook_path', 'cell_id', 'new_source', 'cell_type', 'edit_mode'];

/** Claude Code's NotebookEdit: {notebook_path, cell_id?, new_source, cell_type?, edit_mode?}. */
function notebookEdit(input: Input): FileEdit {
  const cell = text(input, 'cell_id');
  const type = text(input, 'cell_type');
  const mode = text(input, 'edit_mode') ?? 'replace';
  const what = `${type ? `${type} ` : ''}cell`;
  const note =
    mode === 'delete'
      ? `delete ${what}${cell ? ` ${cell}` : ''}`
      : mode === 'insert'
        ? `insert a ${what}${cell ? ` after ${cell}` : ' at the start'}`
        : `replace ${what}${cell ? ` ${cell}` : ''}`;
  const rows = mode === 'delete' ? null : numbered('add', text(input, 'new_source') ?? '');
  return { path: text(input, 'notebook_path') ?? '', note, rows, text: null };
}

function todoOf(item: unknown): Todo {
  if (typeof item === 'string') return { text: item, status: 'pending' };
  if (!isObject(item)) return { text: JSON.stringify(item) ?? '', status: 'pending' };
  return { text: text(item, 'content') ?? text(item, 'text') ?? '', status: text(item, 'status') ?? 'pending' };
}

// ---- small readers shared with toolSummary ----

export function isObject(v: unknown): v is Input {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function text(o: Input, key: string): string | null {
  const v = o[key];
  return typeof v === 'string' ? v : null;
}

/** The file a call is about, under any provider's key for it. */
export function pathOf(o: Input): string | null {
  return text(o, 'file_path') ?? text(o, 'filePath') ?? text(o, 'filepath') ?? text(o, 'notebook_path') ?? text(o, 'path');
}

/** A shell call's command line: a string, or an argv array joined with spaces. */
export function commandOf(o: Input): string | null {
  const c = o['command'];
  if (typeof c === 'string') return c;
  if (Array.isArray(c) && c.every((a) => typeof a === 'string')) return c.join(' ');
  return null;
}


function oldText(o: Input): string | null {
  return text(o, 'old_string') ?? text(o, 'oldString');
}

function newText(o: Input): string | null {
  return text(o, 'new_string') ?? text(o, 'newString');
}

function replaceAll(o: Input): boolean {
  return o['replace_all'] === true || o['replaceAll'] === true;
}

/** The input's fields not already shown, in their order. */
function rest(o: Input, shown: readonly string[]): Field[] {
  return Object.entries(o).filter(([k]) => !shown.includes(k));
}
