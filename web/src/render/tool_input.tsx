// A tool call's input shown for a phone: edits as diffs, commands as a command block,
// lookups as one line, todo lists as a list, anything else as fields with long values
// folded. Every value is the model's and untrusted: it is only ever rendered as text.

import type { ComponentChildren } from 'preact';
import { MAX_DIFF_ROWS, DiffRows } from './diff_view';
import { Markdown } from './markdown';
import { parsePatchText } from './unified_diff';
import {
  EDIT_TOOLS,
  LOOKUPS,
  SHELL_TOOLS,
  TODO_TOOLS,
  commandOf,
  describeTool,
  isObject,
  pathOf,
  text,
  type Field,
  type FileEdit,
  type Todo,
} from './tool_shape';
import './render.css';

/** A summary line is cut to this many characters. */
export const SUMMARY_MAX = 120;
/** A value longer than this (or than PREVIEW_LINES) is shown cut, with the rest behind "show all". */
export const PREVIEW_CHARS = 600;
export const PREVIEW_LINES = 12;
/** Even "show all" stops here. */
export const FULL_MAX = 256 * 1024;
/** Strings inside a JSON value are cut to this in the folded view. */
const JSON_STRING_PREVIEW = 200;

export function ToolInput({ tool, input }: { tool: string; input: Record<string, unknown> }) {
  const shape = describeTool(tool, input);
  switch (shape.kind) {
    case 'edits':
      return (
        <div class="ti ti-edits">
          {shape.description && <p class="ti-desc">{shape.description}</p>}
          {fileEdits(shape.files)}
          {shape.notes.map((n) => (
            <p class="ti-note">{n}</p>
          ))}
          <Fields fields={shape.fields} />
        </div>
      );
    case 'command':
      return (
        <div class="ti ti-command">
          {shape.description && <p class="ti-desc">{shape.description}</p>}
          <pre class="ti-cmd">
            <code>{shape.command}</code>
          </pre>
          <Fields fields={shape.fields} />
        </div>
      );
    case 'lookup':
      return (
        <div class="ti ti-lookup">
          <p class="ti-line">
            <span class="ti-tool">{tool}</span> <code class="ti-target">{shape.target}</code>
          </p>
          <Fields fields={shape.fields} />
        </div>
      );
    case 'todos':
      return (
        <div class="ti ti-todos">
          <ul class="ti-todo-list">{shape.todos.map(todoItem)}</ul>
          <Fields fields={shape.fields} />
        </div>
      );
    case 'markdown':
      return (
        <div class="ti ti-markdown">
          <Markdown text={shape.text} />
          <Fields fields={shape.fields} />
        </div>
      );
    case 'json':
      return (
        <div class="ti ti-json">
          <Fields fields={shape.fields} />
        </div>
      );
  }
}

/** One short line for a collapsed card: "Edit src/app.ts", "Bash: npm test", "Write a.md (12 lines)". */
export function toolSummary(tool: string, input: Record<string, unknown>): string {
  return bound(summary(tool || 'tool', input));
}

function summary(tool: string, input: Record<string, unknown>): string {
  const path = pathOf(input);
  if (EDIT_TOOLS.has(tool)) {
    const changes = input['changes'];
    if (Array.isArray(changes)) return filesSummary(changes.filter(isObject).map(codexVerbPath));
    const patch = text(input, 'patchText');
    if (patch !== null) {
      const files = parsePatchText(patch);
      if (files) return filesSummary(files.map((f) => [VERB[f.kind ?? ''] ?? 'Change', f.path ?? '']));
    }
    const edits = input['edits'];
    if (Array.isArray(edits)) return `${tool} ${path ?? ''} (${count(edits.length, 'edit')})`;
    const content = text(input, 'content');
    if (content !== null && text(input, 'old_string') === null && text(input, 'oldString') === null) {
      return `${tool} ${path ?? ''} (${count(lineCount(content), 'line')})`;
    }
    if (path !== null) return `${tool} ${path}`;
  }
  if (SHELL_TOOLS.has(tool)) {
    const command = commandOf(input);
    if (command !== null) return `${tool === 'command_execution' ? 'Shell' : tool}: ${unwrapShell(command)}`;
  }
  const key = LOOKUPS[tool];
  const target = key ? text(input, key) : null;
  if (target !== null) return `${tool} ${target}`;
  if (TODO_TOOLS.has(tool) && Array.isArray(input['todos'])) return `${tool} (${count(input['todos'].length, 'item')})`;
  const first = Object.values(input).find((v): v is string => typeof v === 'string' && v.trim() !== '');
  return first === undefined ? tool : `${tool}: ${first}`;
}

const VERB: Readonly<Record<string, string>> = { add: 'Add', delete: 'Delete', update: 'Edit' };

function codexVerbPath(change: Readonly<Record<string, unknown>>): readonly [string, string] {
  const kind = change['kind'];
  const type = typeof kind === 'string' ? kind : isObject(kind) ? (text(kind, 'type') ?? '') : '';
  return [VERB[type] ?? 'Change', text(change, 'path') ?? ''];
}

function filesSummary(files: readonly (readonly [string, string])[]): string {
  const [one] = files;
  if (files.length === 1 && one) return `${one[0]} ${one[1]}`;
  return `Change ${count(files.length, 'file')}: ${files.map((f) => f[1]).join(', ')}`;
}

/** Codex's `/bin/bash -lc '…'` as the command inside, when that is all it is. */
function unwrapShell(command: string): string {
  const m = /^(?:\/usr)?(?:\/bin\/)?(?:ba|z)?sh -l?c '/.exec(command);
  if (!m || !command.endsWith("'")) return command;
  const inner = command.slice(m[0].length, -1);
  return inner.includes("'") ? command : inner;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function lineCount(s: string): number {
  if (s === '') return 0;
  let n = 1;
  for (let i = s.indexOf('\n'); i >= 0 && i < s.length - 1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** One line: white space runs made one space, cut to SUMMARY_MAX with an ellipsis. */
function bound(s: string): string {
  const flat = s.slice(0, SUMMARY_MAX * 8).replace(/\s+/g, ' ').trim();
  if (flat.length <= SUMMARY_MAX) return flat;
  let cut = flat.slice(0, SUMMARY_MAX - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** The files' diffs, MAX_DIFF_ROWS in all. */
function fileEdits(files: readonly FileEdit[]): ComponentChildren[] {
  let budget = MAX_DIFF_ROWS;
  return files.map((f) => {
    if (f.rows) {
      const maxRows = Math.max(0, budget);
      budget -= Math.min(f.rows.length, maxRows);
      return <DiffRows rows={f.rows} path={f.path || null} note={f.note} maxRows={maxRows} />;
    }
    const head = (
      <>
        {f.path && <span class="diff-path">{f.path}</span>}
        {f.note && <span class="diff-note">{f.note}</span>}
      </>
    );
    if (f.text !== null) {
      return (
        <figure class="diff">
          <figcaption class="diff-head">{head}</figcaption>
          <LongText text={f.text} />
        </figure>
      );
    }
    return <p class="ti-file">{head}</p>;
  });
}

const TODO_STATUS: Readonly<Record<string, readonly [icon: string, word: string]>> = {
  pending: ['○', 'to do'],
  in_progress: ['◐', 'in progress'],
  completed: ['●', 'done'],
  cancelled: ['⊘', 'cancelled'],
};

function todoItem(t: Todo) {
  const known = TODO_STATUS[t.status];
  const [icon, word] = known ?? ['○', t.status];
  return (
    <li class={`ti-todo ti-todo-${known ? t.status : 'other'}`}>
      <span class="ti-todo-mark" aria-hidden="true">
        {icon}
      </span>
      <span class="render-sr">{word}: </span>
      {t.text}
    </li>
  );
}

export function Fields({ fields }: { fields: readonly Field[] }) {
  if (fields.length === 0) return null;
  return (
    <dl class="ti-fields">
      {fields.map(([key, value]) => [<dt>{key}</dt>, <dd>{fieldValue(value)}</dd>])}
    </dl>
  );
}

function fieldValue(value: unknown): ComponentChildren {
  if (typeof value === 'string') return <LongText text={value} />;
  if (value === null || typeof value !== 'object') return <code class="ti-scalar">{String(value)}</code>;
  const full = JSON.stringify(value, null, 2) ?? '';
  const folded =
    JSON.stringify(
      value,
      (_k, v: unknown) =>
        typeof v === 'string' && v.length > JSON_STRING_PREVIEW ? `${v.slice(0, JSON_STRING_PREVIEW)}…` : v,
      2,
    ) ?? '';
  return <LongText text={full} preview={folded === full ? undefined : folded} />;
}

/** Text in a <pre>, cut to a preview when long, the whole (to FULL_MAX) behind "show all". */
export function LongText({ text: value, preview }: { text: string; preview?: string }) {
  const head = previewOf(preview ?? value);
  if (preview === undefined && head === value) return <pre class="ti-text">{value}</pre>;
  const whole = value.length > FULL_MAX ? value.slice(0, FULL_MAX) : value;
  return (
    <div class="ti-long">
      <pre class="ti-text ti-preview">{head === (preview ?? value) ? head : `${head}…`}</pre>
      <details class="ti-more">
        <summary>show all ({count(lineCount(value), 'line')}, {value.length} characters)</summary>
        <pre class="ti-text">{whole}</pre>
        {whole !== value && <p class="ti-note">Cut at {FULL_MAX / 1024} K characters.</p>}
      </details>
    </div>
  );
}

/** The first PREVIEW_LINES lines, at most PREVIEW_CHARS characters; the text itself when it fits. */
function previewOf(s: string): string {
  let end = Math.min(s.length, PREVIEW_CHARS);
  let nl = -1;
  for (let k = 0; k < PREVIEW_LINES; k++) {
    nl = s.indexOf('\n', nl + 1);
    if (nl < 0 || nl >= end) break;
    if (k === PREVIEW_LINES - 1) end = nl;
  }
  if (end >= s.length || (end === s.length - 1 && s[end] === '\n')) return s;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end);
}
