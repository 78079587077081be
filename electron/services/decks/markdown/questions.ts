import { AppError } from '../../../../src/shared/errors';
import { parseJsonBounded } from '../json-bounded';
import { dedent, headingOf, splitAttributes, tidyBlock, where, type SourceLine } from './syntax';
import { looksLikeCloze, type NoteKind } from '../../../../src/shared/cloze';

/** Finding questions and their answers in both Markdown shapes. */

export interface ExperimentReference {
  id: string;
  params: Record<string, unknown>;
}

export interface QuestionBlock {
  kind: 'heading' | 'bullet';
  /** Index range in the body lines, end exclusive: these lines never count as section context. */
  startIndex: number;
  endIndex: number;
  /** Heading level of a `## Q.` question; Infinity for a bullet (it closes no section). */
  level: number;
  /** 1-based line of the question in the file. */
  line: number;
  id: string | null;
  guid: string | null;
  tags: string[];
  language: string | null;
  /** The note kind: the `kind="…"` attribute, else cloze when the question has `{{c1::…}}`. */
  noteKind: NoteKind;
  front: string;
  back: string;
  /** Set when the question carries its own `<!-- context -->` block. */
  context: string | null;
  experiment: ExperimentReference | null;
}

type Warn = (line: number, message: string) => void;

const headingQuestion = /^(?:\*\*)?Q[.:](?:\*\*)?\s+(.*)$/;
const bulletItem = /^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$/;
const bulletQuestion = [/^\*\*Q[.:]\s*(.+?)\*\*\s*(.*)$/, /^\*\*Q[.:]\*\*\s*(.+)$/];
const answerStart = /^\s*(?:(?:[-*+]|\d+[.)])\s+)?(?:\*\*A[.:]\*\*|A[.:])(?:\s+|$)(.*)$/;
const contextOpen = '<!-- context -->';
const contextClose = '<!-- /context -->';

/** Every question of the body, in file order. */
export function findQuestionBlocks(lines: SourceLine[], fileName: string | undefined, warn: Warn): QuestionBlock[] {
  const blocks: QuestionBlock[] = [];
  let index = 0;
  while (index < lines.length) {
    const block = headingBlock(lines, index, fileName, warn) ?? bulletBlock(lines, index, fileName, warn);
    if (block === undefined) {
      index++;
    } else if (block === null) {
      index++; // a question with no answer: warned about, skipped
    } else {
      blocks.push(block);
      index = block.endIndex;
    }
  }
  return blocks;
}

function isQuestionHeading(line: SourceLine): boolean {
  const heading = headingOf(line);
  return heading !== null && headingQuestion.test(heading.text);
}

/** `## Q. … {#id}`: the block runs to the next question or a heading of the same or a higher level. */
function headingBlock(lines: SourceLine[], start: number, fileName: string | undefined, warn: Warn): QuestionBlock | null | undefined {
  const heading = headingOf(lines[start]);
  const match = heading ? headingQuestion.exec(heading.text) : null;
  if (!heading || !match) return undefined;
  let end = start + 1;
  for (; end < lines.length; end++) {
    const next = headingOf(lines[end]);
    if (next && (next.level <= heading.level || isQuestionHeading(lines[end]))) break;
  }
  const line = lines[start].number;
  const attributes = splitAttributes(match[1], fileName, line);
  const body = lines.slice(start + 1, end);
  const answerIndex = body.findIndex((item) => !item.fenced && answerStart.test(item.text));
  const frontLines = answerIndex < 0 ? [] : body.slice(0, answerIndex).map((item) => item.text);
  const front = tidyBlock([attributes.text, ...frontLines]);
  let answer: SourceLine[];
  if (answerIndex < 0) {
    answer = body;
  } else {
    const rest = answerStart.exec(body[answerIndex].text)?.[1] ?? '';
    answer = [{ ...body[answerIndex], text: rest }, ...body.slice(answerIndex + 1)];
  }
  return finishBlock({ kind: 'heading', start, end, level: heading.level, line, attributes, front, answer }, fileName, warn);
}

/** `* **Q. …**` with a nested `* **A.** …` bullet: the block is the list item. */
function bulletBlock(lines: SourceLine[], start: number, fileName: string | undefined, warn: Warn): QuestionBlock | null | undefined {
  const first = lines[start];
  if (first.fenced) return undefined;
  const item = bulletItem.exec(first.text);
  if (!item) return undefined;
  const question = bulletQuestion.map((pattern) => pattern.exec(item[2])).find((found) => found !== null);
  if (!question) return undefined;
  const indent = item[1].replace(/\t/g, '    ').length;

  let end = start + 1;
  let lastContent = start;
  for (; end < lines.length; end++) {
    const line = lines[end];
    const lineIndent = /^\s*/.exec(line.text)?.[0].replace(/\t/g, '    ').length ?? 0;
    const blank = line.text.trim() === '';
    // A fence opened inside the item keeps its lines even when they are not indented.
    const insideFence = line.fenced && line.fenceOpen === null;
    if (!blank && !insideFence && (lineIndent <= indent || headingOf(line))) break;
    if (!blank) lastContent = end;
  }
  end = lastContent + 1;

  const line = first.number;
  // `**Q. question**` may be followed by more text on the same line; both belong to the front.
  const attributes = splitAttributes([question[1], question[2] ?? ''].join(' ').trim(), fileName, line);
  const body = lines.slice(start + 1, end);
  const answerIndex = body.findIndex((entry) => !entry.fenced && answerStart.test(entry.text));
  if (answerIndex < 0) {
    warn(line, `question "${attributes.text}" has no "**A.**" answer below it; skipped`);
    return null;
  }
  const front = tidyBlock([attributes.text, ...dedent(body.slice(0, answerIndex).map((entry) => entry.text))]);
  const rest = answerStart.exec(body[answerIndex].text)?.[1] ?? '';
  const following = body.slice(answerIndex + 1);
  const dedented = dedent(following.map((entry) => entry.text));
  const answer = [{ ...body[answerIndex], text: rest }, ...following.map((entry, at) => ({ ...entry, text: dedented[at] }))];
  return finishBlock({ kind: 'bullet', start, end, level: Infinity, line, attributes, front, answer }, fileName, warn);
}

interface RawBlock {
  kind: QuestionBlock['kind'];
  start: number;
  end: number;
  level: number;
  line: number;
  attributes: ReturnType<typeof splitAttributes>;
  front: string;
  answer: SourceLine[];
}

/** Pulls the ```prove``` link and any explicit context out of the answer. */
function finishBlock(raw: RawBlock, fileName: string | undefined, warn: Warn): QuestionBlock | null {
  const kept: string[] = [];
  const contextLines: string[] = [];
  let context: string | null = null;
  let experiment: ExperimentReference | null = null;
  let inContext = false;
  for (let at = 0; at < raw.answer.length; at++) {
    const line = raw.answer[at];
    const trimmed = line.text.trim();
    if (!line.fenced && trimmed === contextOpen) {
      inContext = true;
      continue;
    }
    if (!line.fenced && trimmed === contextClose && inContext) {
      inContext = false;
      context = tidyBlock(contextLines);
      continue;
    }
    const prove = line.fenceOpen === null ? null : /^prove(?:\s+(.*))?$/.exec(line.fenceOpen);
    if (prove) {
      let close = at + 1;
      while (close < raw.answer.length && !raw.answer[close].fenceClose) close++;
      const link = readProve(prove[1]?.trim() ?? '', raw.answer.slice(at + 1, close), line.number, fileName);
      if (experiment) warn(line.number, `a second prove block (${link.id}) is ignored; a card links one experiment`);
      else experiment = link;
      at = close;
      continue;
    }
    (inContext ? contextLines : kept).push(line.text);
  }
  if (inContext) throw new AppError('import-invalid', `${where(fileName, raw.line)}"${contextOpen}" is never closed by "${contextClose}"`, { line: raw.line });
  const back = tidyBlock(kept);
  const noteKind: NoteKind = raw.attributes.kind ?? (looksLikeCloze(raw.front) ? 'cloze' : 'basic');
  // A cloze note's answer is optional (Anki's "Back Extra"): the deletions are the answers.
  if (!raw.front || (!back && noteKind !== 'cloze')) {
    warn(raw.line, raw.front ? `question "${raw.front}" has an empty answer; skipped` : 'a question heading with no question text; skipped');
    return null;
  }
  return {
    kind: raw.kind,
    startIndex: raw.start,
    endIndex: raw.end,
    level: raw.level,
    line: raw.line,
    id: raw.attributes.id,
    guid: raw.attributes.guid,
    tags: raw.attributes.tags,
    language: raw.attributes.language,
    noteKind,
    front: raw.front,
    back,
    context,
    experiment,
  };
}

function readProve(id: string, body: SourceLine[], line: number, fileName: string | undefined): ExperimentReference {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) {
    throw new AppError('import-invalid', `${where(fileName, line)}a prove block needs an experiment id, as in "\`\`\`prove kv-cache-speed"`, { line });
  }
  const source = body.map((entry) => entry.text).join('\n').trim();
  if (source === '') return { id, params: {} };
  let params: unknown;
  try {
    params = parseJsonBounded(source, 'prove params', 100_000);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('import-invalid', `${where(fileName, line + 1)}the params of prove ${id} are not valid JSON: ${(error as Error).message}`, { line: line + 1 });
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new AppError('import-invalid', `${where(fileName, line + 1)}the params of prove ${id} must be a JSON object such as {"tokens": 128}`, { line: line + 1 });
  }
  return { id, params: params as Record<string, unknown> };
}
