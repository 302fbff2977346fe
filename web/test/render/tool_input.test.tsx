// Tool inputs: the shape read from each provider's tool names and inputs (Claude Code, Codex
// and OpenCode as their adapters put them in tool_call / approval_requested), the summary
// line for each kind, and the rendered elements: diffs, commands, fields folded when long,
// model text only ever as text.

import { describe, expect, it } from 'vitest';
import {
  MAX_DIFF_ROWS,
  SUMMARY_MAX,
  ToolInput,
  describeTool,
  toolSummary,
  type FileEdit,
  type ToolShape,
} from '../../src/render';
import { FULL_MAX, PREVIEW_CHARS } from '../../src/render/tool_input';
import { elements, expand, textOf, type El } from './vnode';

type Edits = Extract<ToolShape, { kind: 'edits' }>;

function editsOf(tool: string, input: Record<string, unknown>): Edits {
  const shape = describeTool(tool, input);
  if (shape.kind !== 'edits') throw new Error(`${tool}: ${shape.kind}`);
  return shape;
}

/** A file's diff as +x / -x / " x" / … lines with numbers, for short expectations. */
function lines(f: FileEdit): string[] {
  return (f.rows ?? []).map((r) =>
    r.kind === 'skip'
      ? `… ${r.count ?? '?'}`
      : `${{ same: ' ', add: '+', del: '-' }[r.kind]}${r.text}${r.oldNo !== null || r.newNo !== null ? ` ${r.oldNo ?? ''}/${r.newNo ?? ''}` : ''}`,
  );
}

const UNIFIED = '@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n';

describe('file edits, Claude Code', () => {
  it('Edit: the snippet diff, without line numbers (they are not the file\'s)', () => {
    const s = editsOf('Edit', { file_path: '/w/src/app.ts', old_string: 'a\nb\nc', new_string: 'a\nB\nc', replace_all: true });
    expect(s.files).toHaveLength(1);
    expect(s.files[0]).toMatchObject({ path: '/w/src/app.ts', note: 'every occurrence', text: null });
    expect(lines(s.files[0]!)).toEqual([' a', '-b', '+B', ' c']);
    expect(s.fields).toEqual([]);
  });

  it('MultiEdit: one diff per edit', () => {
    const s = editsOf('MultiEdit', {
      file_path: 'a.py',
      edits: [
        { old_string: 'x = 1', new_string: 'x = 2' },
        { old_string: 'y', new_string: 'z', replace_all: true },
      ],
    });
    expect(s.files.map((f) => [f.path, f.note, lines(f)])).toEqual([
      ['a.py', 'edit 1 of 2', ['-x = 1', '+x = 2']],
      ['a.py', 'edit 2 of 2, every occurrence', ['-y', '+z']],
    ]);
  });

  it('Write: every line added, numbered', () => {
    const s = editsOf('Write', { file_path: 'notes.md', content: '# Notes\n\nhello\n' });
    expect(lines(s.files[0]!)).toEqual(['+# Notes /1', '+ /2', '+hello /3']);
  });

  it('NotebookEdit: the new source, and what happens to which cell', () => {
    const insert = editsOf('NotebookEdit', { notebook_path: 'n.ipynb', cell_id: 'c2', new_source: 'print(1)', cell_type: 'code', edit_mode: 'insert' });
    expect(insert.files[0]).toMatchObject({ path: 'n.ipynb', note: 'insert a code cell after c2' });
    expect(lines(insert.files[0]!)).toEqual(['+print(1) /1']);
    const gone = editsOf('NotebookEdit', { notebook_path: 'n.ipynb', cell_id: 'c3', new_source: '', edit_mode: 'delete' });
    expect(gone.files[0]).toMatchObject({ note: 'delete cell c3', rows: null });
  });
});

describe('file edits, Codex (file_change)', () => {
  it('reads added, updated, moved and deleted files from the changes list', () => {
    const s = editsOf('file_change', {
      changes: [
        { path: '/w/ws/patched.txt', kind: { type: 'add' }, diff: 'patched line\n' },
        { path: '/w/a.ts', kind: { type: 'update', move_path: '/w/b.ts' }, diff: UNIFIED },
        { path: '/w/old.txt', kind: { type: 'delete' }, diff: 'bye\n' },
        { path: '/w/c.txt', kind: 'update', diff: 'not a diff', diff_truncated: true },
      ],
      changes_truncated: true,
      reason: 'apply the fix',
      grant_root: '/w',
    });
    expect(s.description).toBe('apply the fix');
    expect(s.files.map((f) => [f.path, f.note, lines(f), f.text])).toEqual([
      ['/w/ws/patched.txt', 'new file', ['+patched line /1'], null],
      ['/w/a.ts', 'moved to /w/b.ts', [' a 1/1', '-b 2/', '+B /2', ' c 3/3'], null],
      ['/w/old.txt', 'deleted', ['-bye 1/'], null],
      ['/w/c.txt', 'diff cut short', [], 'not a diff'],
    ]);
    expect(s.notes).toEqual(['The list of changes was cut short.']);
    expect(s.fields).toEqual([['grant_root', '/w']]);
  });

  it('shows a change without a diff (the v1 approval) as its path alone', () => {
    const s = editsOf('file_change', { changes: [{ path: 'a' }, 'junk', null] });
    expect(s.files).toEqual([{ path: 'a', note: null, rows: null, text: null }]);
  });
});

describe('file edits, OpenCode', () => {
  it('edit, write and multiedit with OpenCode\'s camelCase keys', () => {
    const edit = editsOf('edit', { filePath: '/w/a.ts', oldString: 'x', newString: 'y', replaceAll: false });
    expect([edit.files[0]!.path, lines(edit.files[0]!)]).toEqual(['/w/a.ts', ['-x', '+y']]);
    const write = editsOf('write', { filePath: '/w/b.ts', content: 'one\ntwo' });
    expect(lines(write.files[0]!)).toEqual(['+one /1', '+two /2']);
    const multi = editsOf('multiedit', {
      filePath: '/w/c.ts',
      edits: [{ filePath: '/w/c.ts', oldString: 'p', newString: 'q', replaceAll: true }],
    });
    expect(multi.files.map((f) => [f.path, f.note])).toEqual([['/w/c.ts', 'edit 1 of 1, every occurrence']]);
  });

  it('apply_patch: the patch text read file by file', () => {
    const s = editsOf('apply_patch', {
      patchText: '*** Begin Patch\n*** Add File: n.txt\n+hi\n*** Update File: m.txt\n@@\n-a\n+b\n*** End Patch',
    });
    expect(s.files.map((f) => [f.path, f.note, lines(f)])).toEqual([
      ['n.txt', 'new file', ['+hi /1']],
      ['m.txt', null, ['-a', '+b']],
    ]);
  });

  it('an edit question without a tool call: the metadata\'s unified diff', () => {
    const diff = 'Index: /w/a.txt\n===\n--- /w/a.txt\n+++ /w/a.txt\n@@ -1 +1 @@\n-x\n+y\n';
    const s = editsOf('edit', { filepath: '/w/a.txt', diff, patterns: ['a.txt'] });
    expect(s.files.map((f) => [f.path, lines(f)])).toEqual([['/w/a.txt', ['-x 1/', '+y /1']]]);
    expect(s.fields).toEqual([['patterns', ['a.txt']]]);
  });

  it('an edit question carrying the write tool\'s input', () => {
    expect(lines(editsOf('edit', { filePath: '/w/a.txt', content: 'x' }).files[0]!)).toEqual(['+x /1']);
  });
});

describe('other shapes', () => {
  it('shell commands with their description or reason; the rest as fields', () => {
    expect(describeTool('Bash', { command: 'npm test', description: 'Run tests', timeout: 60000 })).toEqual({
      kind: 'command',
      command: 'npm test',
      description: 'Run tests',
      fields: [['timeout', 60000]],
    });
    expect(
      describeTool('command_execution', {
        command: '/bin/bash -lc ls',
        cwd: '/w',
        reason: 'needs network',
        argv: ['/bin/bash', '-lc', 'ls'],
        command_actions: [{ type: 'list_files' }],
      }),
    ).toEqual({ kind: 'command', command: '/bin/bash -lc ls', description: 'needs network', fields: [['cwd', '/w']] });
    expect(describeTool('bash', { command: 'echo hi > out.txt', description: 'run' })).toMatchObject({ kind: 'command', description: 'run' });
    expect(describeTool('Bash', { command: ['ls', '-la'] })).toMatchObject({ command: 'ls -la' });
  });

  it('lookups: one value, then the rest', () => {
    expect(describeTool('Read', { file_path: '/w/a.ts', offset: 10, limit: 20 })).toEqual({
      kind: 'lookup',
      target: '/w/a.ts',
      fields: [
        ['offset', 10],
        ['limit', 20],
      ],
    });
    expect(describeTool('grep', { pattern: 'TODO', path: 'src', include: '*.ts' })).toMatchObject({ kind: 'lookup', target: 'TODO' });
    expect(describeTool('web_search', { query: 'preact 11' })).toEqual({ kind: 'lookup', target: 'preact 11', fields: [] });
    expect(describeTool('WebFetch', { url: 'https://example.com', prompt: 'summarise' })).toMatchObject({ target: 'https://example.com' });
  });

  it('todo lists and plans', () => {
    expect(
      describeTool('TodoWrite', {
        todos: [
          { content: 'a', status: 'completed', activeForm: 'A' },
          { content: 'b', status: 'in_progress' },
          'c',
        ],
      }),
    ).toEqual({
      kind: 'todos',
      todos: [
        { text: 'a', status: 'completed' },
        { text: 'b', status: 'in_progress' },
        { text: 'c', status: 'pending' },
      ],
      fields: [],
    });
    expect(describeTool('ExitPlanMode', { plan: '1. do\n2. test' })).toEqual({ kind: 'markdown', text: '1. do\n2. test', fields: [] });
  });

  it('anything else, and known tools with unknown inputs, as fields', () => {
    expect(describeTool('mcp__github__create_issue', { title: 't', labels: ['bug'] })).toEqual({
      kind: 'json',
      fields: [
        ['title', 't'],
        ['labels', ['bug']],
      ],
    });
    expect(describeTool('Edit', { what: 1 }).kind).toBe('json');
    expect(describeTool('Bash', { command: 5 }).kind).toBe('json');
    expect(describeTool('Read', {}).kind).toBe('json');
  });

  it('remembers the shape of an input object', () => {
    const input = { file_path: 'a', old_string: 'x', new_string: 'y' };
    expect(describeTool('Edit', input)).toBe(describeTool('Edit', input));
  });
});

describe('toolSummary', () => {
  it.each([
    ['Edit', { file_path: 'src/app.ts', old_string: 'a', new_string: 'b' }, 'Edit src/app.ts'],
    ['MultiEdit', { file_path: 'a.ts', edits: [{}, {}, {}] }, 'MultiEdit a.ts (3 edits)'],
    ['Write', { file_path: 'notes.md', content: 'x\n'.repeat(12) }, 'Write notes.md (12 lines)'],
    ['Write', { file_path: 'one.md', content: 'x' }, 'Write one.md (1 line)'],
    ['NotebookEdit', { notebook_path: 'n.ipynb', new_source: 'x' }, 'NotebookEdit n.ipynb'],
    ['edit', { filePath: '/w/a.ts', oldString: 'a', newString: 'b' }, 'edit /w/a.ts'],
    ['write', { filePath: '/w/b.ts', content: 'a\nb' }, 'write /w/b.ts (2 lines)'],
    ['edit', { filepath: '/w/c.ts', diff: '@@' }, 'edit /w/c.ts'],
    ['file_change', { changes: [{ path: 'new.txt', kind: { type: 'add' }, diff: 'x' }] }, 'Add new.txt'],
    ['file_change', { changes: [{ path: 'a', kind: { type: 'update' } }, { path: 'b', kind: 'delete' }] }, 'Change 2 files: a, b'],
    ['apply_patch', { patchText: '*** Begin Patch\n*** Delete File: x.txt\n*** End Patch' }, 'Delete x.txt'],
    ['Bash', { command: 'npm test', description: 'Run the tests' }, 'Bash: npm test'],
    ['bash', { command: 'echo hi > out.txt', description: 'run' }, 'bash: echo hi > out.txt'],
    ['command_execution', { command: "/bin/bash -lc 'npm test'" }, 'Shell: npm test'],
    ['command_execution', { command: "/bin/bash -lc 'echo '\\''x'\\'''" }, "Shell: /bin/bash -lc 'echo '\\''x'\\'''"],
    ['command_execution', { command: 'network access to example.com (https)' }, 'Shell: network access to example.com (https)'],
    ['Read', { file_path: '/w/README.md' }, 'Read /w/README.md'],
    ['Glob', { pattern: '**/*.ts' }, 'Glob **/*.ts'],
    ['grep', { pattern: 'TODO', path: 'src' }, 'grep TODO'],
    ['WebFetch', { url: 'https://example.com/x', prompt: 'p' }, 'WebFetch https://example.com/x'],
    ['web_search', { query: 'preact' }, 'web_search preact'],
    ['Task', { description: 'Find uses', prompt: 'long', subagent_type: 'general' }, 'Task Find uses'],
    ['TodoWrite', { todos: [{}, {}] }, 'TodoWrite (2 items)'],
    ['external_directory', { filepath: '/etc/x', patterns: ['/etc/*'] }, 'external_directory /etc/x'],
    ['mcp__github__create_issue', { number: 1, title: 'Broken build' }, 'mcp__github__create_issue: Broken build'],
    ['ExitPlanMode', { plan: '## Plan\n1. a' }, 'ExitPlanMode: ## Plan 1. a'],
    ['Unknown', {}, 'Unknown'],
    ['', {}, 'tool'],
  ] as const)('%s %j → %j', (tool, input, expected) => {
    expect(toolSummary(tool, input)).toBe(expected);
  });

  it('is one line of at most SUMMARY_MAX characters', () => {
    const s = toolSummary('Bash', { command: `echo ${'x'.repeat(500)}\nrm -rf /tmp/y` });
    expect(s).toHaveLength(SUMMARY_MAX);
    expect(s.endsWith('…')).toBe(true);
    expect(toolSummary('Bash', { command: 'a\n\n\tb   c' })).toBe('Bash: a b c');
    expect(toolSummary('Bash', { command: `${'x'.repeat(SUMMARY_MAX - 8)}😀😀` })).toMatch(/x…$/);
  });
});

describe('ToolInput rendering', () => {
  const render = (tool: string, input: Record<string, unknown>) => expand(<ToolInput tool={tool} input={input} />);
  const byClass = (nodes: ReturnType<typeof render>, cls: string) =>
    elements(nodes).filter((e) => String(e.props['class'] ?? '').split(' ').includes(cls));

  it('shows a command in a code block with its description above', () => {
    const nodes = render('Bash', { command: 'rm -rf build && npm run build', description: 'Clean build' });
    const [root] = nodes as El[];
    expect(root!.children.map((c) => (typeof c === 'string' ? c : c.tag))).toEqual(['p', 'pre']);
    expect(textOf(byClass(nodes, 'ti-desc'))).toBe('Clean build');
    expect(textOf(byClass(nodes, 'ti-cmd'))).toBe('rm -rf build && npm run build');
  });

  it('shows an edit as a diff table', () => {
    const nodes = render('Edit', { file_path: 'a.ts', old_string: 'x', new_string: 'y' });
    expect(textOf(byClass(nodes, 'diff-path'))).toBe('a.ts');
    expect(elements(nodes).filter((e) => e.tag === 'tr').map((tr) => tr.props['class'])).toEqual([
      'diff-line diff-del',
      'diff-line diff-add',
    ]);
  });

  it('draws at most MAX_DIFF_ROWS rows across all files of a call', () => {
    const big = Array.from({ length: 1500 }, (_, i) => `+l${i}`).join('\n');
    const patchText = ['*** Begin Patch', ...['a', 'b', 'c'].map((f) => `*** Add File: ${f}\n${big}`), '*** End Patch'].join('\n');
    const nodes = render('apply_patch', { patchText });
    expect(elements(nodes).filter((e) => e.tag === 'tr')).toHaveLength(MAX_DIFF_ROWS);
    expect(byClass(nodes, 'diff-more').map((e) => textOf([e]))).toEqual(['1000 more rows not shown', '1500 more rows not shown']);
  });

  it('shows a lookup as one line', () => {
    const nodes = render('Read', { file_path: '/w/a.ts' });
    expect(textOf(byClass(nodes, 'ti-line'))).toBe('Read /w/a.ts');
  });

  it('reads todo statuses out to screen readers', () => {
    const nodes = render('TodoWrite', { todos: [{ content: 'ship', status: 'in_progress' }, { content: 'x', status: 'weird' }] });
    expect(byClass(nodes, 'ti-todo').map((e) => [e.props['class'], textOf([e])])).toEqual([
      ['ti-todo ti-todo-in_progress', '◐in progress: ship'],
      ['ti-todo ti-todo-other', '○weird: x'],
    ]);
  });

  it('renders a plan as Markdown', () => {
    const nodes = render('ExitPlanMode', { plan: '1. **do** it' });
    expect(elements(nodes).map((e) => e.tag)).toContain('strong');
  });

  it('lists other fields, folding long strings behind "show all"', () => {
    const long = 'word '.repeat(400);
    const nodes = render('mcp__x__y', { short: 'hi', long, n: 3, flag: true, nothing: null, obj: { a: [1, 2] } });
    expect(elements(nodes).filter((e) => e.tag === 'dt').map((e) => textOf([e]))).toEqual(['short', 'long', 'n', 'flag', 'nothing', 'obj']);
    const dds = elements(nodes).filter((e) => e.tag === 'dd');
    expect(textOf([dds[0]!])).toBe('hi');
    const preview = byClass([dds[1]!], 'ti-preview')[0]!;
    expect(textOf([preview])).toBe(`${long.slice(0, PREVIEW_CHARS)}…`);
    const details = elements([dds[1]!]).find((e) => e.tag === 'details')!;
    expect(textOf([details])).toBe(`show all (1 line, ${long.length} characters)${long}`);
    expect(dds.slice(2, 5).map((d) => textOf([d]))).toEqual(['3', 'true', 'null']);
    expect(textOf([dds[5]!])).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
  });

  it('folds long strings inside JSON values, with the whole behind "show all"', () => {
    const nodes = render('x', { obj: { body: 'y'.repeat(300) } });
    const preview = textOf(byClass(nodes, 'ti-preview'));
    expect(preview).toBe(`{\n  "body": "${'y'.repeat(200)}…"\n}`);
    expect(textOf(elements(nodes).filter((e) => e.tag === 'details'))).toContain('y'.repeat(300));
  });

  it('folds text of many short lines, and cuts even "show all" at FULL_MAX', () => {
    const manyLines = Array.from({ length: 30 }, (_, i) => `${i}`).join('\n');
    const nodes = render('x', { text: manyLines });
    expect(textOf(byClass(nodes, 'ti-preview'))).toBe(`${manyLines.split('\n').slice(0, 12).join('\n')}…`);
    const huge = render('x', { text: 'z'.repeat(FULL_MAX + 10) });
    const full = elements(huge).find((e) => e.tag === 'details')!;
    expect(textOf([full])).toContain(`${'z'.repeat(FULL_MAX)}Cut at 256 K characters.`);
  });

  it('renders hostile values as text only', () => {
    const evil = '<img src=x onerror=alert(1)><script>alert(1)</script>';
    const inputs: [string, Record<string, unknown>][] = [
      ['Bash', { command: evil, description: evil }],
      ['Edit', { file_path: evil, old_string: evil, new_string: `${evil}!` }],
      ['Read', { file_path: evil }],
      ['TodoWrite', { todos: [{ content: evil, status: evil }] }],
      ['mcp__a__b', { [evil]: evil, nested: { evil } }],
      ['file_change', { changes: [{ path: evil, kind: { type: evil }, diff: evil }] }],
    ];
    for (const [tool, input] of inputs) {
      const all = elements(render(tool, input));
      for (const e of all) {
        expect(['script', 'img', 'style', 'iframe', 'a']).not.toContain(e.tag);
        for (const k of Object.keys(e.props)) expect(['class', 'aria-hidden', 'colSpan']).toContain(k);
        expect(String(e.props['class'] ?? '')).not.toContain('<');
      }
    }
  });
});
