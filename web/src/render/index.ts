// Public surface of the app's renderers: safe Markdown, line diffs and their view, and tool
// call inputs (diffs for edits, command blocks, one-line summaries).

export {
  type Align,
  type Block,
  type Inline,
  MARKDOWN_MAX_CHARS,
  MAX_BLOCK_DEPTH,
  MAX_INLINE_DEPTH,
  Markdown,
  parseInline,
  parseMarkdown,
} from './markdown';
export {
  type DiffKind,
  type DiffLine,
  type DiffRow,
  type DiffSkip,
  MAX_DIFF_LINES,
  MAX_EDIT_DISTANCE,
  diffLines,
  hunks,
  splitLines,
} from './diff';
export { type DiffFile, parsePatchText, parseUnifiedDiff } from './unified_diff';
export { DiffRows, DiffView, MAX_DIFF_ROWS } from './diff_view';
export { type FileEdit, type ToolShape, type Todo, describeTool } from './tool_shape';
export { LongText, SUMMARY_MAX, ToolInput, toolSummary } from './tool_input';
export { safeHref } from './url';
