import type { QuestionBlock } from './questions';
import { headingOf, tidyBlock, type SourceLine } from './syntax';

/**
 * Section text around the questions becomes a card's context. A question takes the text of the
 * innermost section that holds it and has prose of its own (questions cut out). A section that
 * holds only questions, like the seed's "예상 면접 질문" list, passes to its parent, so the seed's
 * cards get the whole note (core concept, detailed explanation, examples) as context.
 */

interface Section {
  start: number;
  end: number;
  level: number;
}

export function contextFinder(lines: SourceLine[], blocks: QuestionBlock[]): (block: QuestionBlock) => string {
  const inQuestion = new Uint8Array(lines.length);
  const questionStartLevel = new Map<number, number>();
  for (const block of blocks) {
    inQuestion.fill(1, block.startIndex, block.endIndex);
    if (block.kind === 'heading') questionStartLevel.set(block.startIndex, block.level);
  }

  const sections: Section[] = [];
  lines.forEach((line, start) => {
    const heading = inQuestion[start] ? null : headingOf(line);
    if (!heading) return;
    let end = start + 1;
    for (; end < lines.length; end++) {
      const questionLevel = questionStartLevel.get(end);
      if (questionLevel !== undefined && questionLevel <= heading.level) break;
      if (inQuestion[end]) continue;
      const next = headingOf(lines[end]);
      if (next && next.level <= heading.level) break;
    }
    sections.push({ start, end, level: heading.level });
  });

  const prose = new Map<Section, boolean>();
  const hasProse = (section: Section): boolean => {
    let found = prose.get(section);
    if (found === undefined) {
      found = false;
      for (let index = section.start + 1; index < section.end && !found; index++) {
        if (inQuestion[index] || headingOf(lines[index])) continue;
        const text = lines[index].text.trim();
        found = text !== '' && !/^(-{3,}|\*{3,}|_{3,})$/.test(text);
      }
      prose.set(section, found);
    }
    return found;
  };

  // Sections are in file order, so the ones nested in `section` follow it directly.
  const textOf = (at: number): string => {
    const section = sections[at];
    const kept: string[] = [];
    let index = section.start;
    for (let next = at + 1; next < sections.length && sections[next].start < section.end; next++) {
      const nested = sections[next];
      if (nested.start < index || hasProse(nested)) continue;
      for (; index < nested.start; index++) if (!inQuestion[index]) kept.push(lines[index].text);
      index = nested.end; // an empty subsection (only questions) is left out, heading and all
    }
    for (; index < section.end; index++) if (!inQuestion[index]) kept.push(lines[index].text);
    return tidyBlock(kept);
  };

  // One sweep in file order: the stack holds the sections open at each question.
  const contexts = new Map<QuestionBlock, string>();
  const texts = new Map<number, string>();
  const open: number[] = [];
  let nextSection = 0;
  for (const block of blocks) {
    while (nextSection < sections.length && sections[nextSection].start < block.startIndex) open.push(nextSection++);
    for (let at = open.length - 1; at >= 0; at--) if (sections[open[at]].end <= block.startIndex) open.splice(at, 1);
    let context = '';
    for (let at = open.length - 1; at >= 0; at--) {
      const index = open[at];
      if (sections[index].level >= block.level || !hasProse(sections[index])) continue;
      let text = texts.get(index);
      if (text === undefined) {
        text = textOf(index);
        texts.set(index, text);
      }
      context = text;
      break;
    }
    contexts.set(block, context);
  }
  return (block) => contexts.get(block) ?? '';
}
