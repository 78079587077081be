import type { QuestionBlock } from './markdown-questions';
import { headingOf, tidyBlock, type SourceLine } from './markdown-syntax';

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
  const inQuestion = new Array<boolean>(lines.length).fill(false);
  const questionStartLevel = new Map<number, number>();
  for (const block of blocks) {
    for (let index = block.startIndex; index < block.endIndex; index++) inQuestion[index] = true;
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

  const hasProse = (section: Section): boolean => {
    for (let index = section.start + 1; index < section.end; index++) {
      if (inQuestion[index] || headingOf(lines[index])) continue;
      const text = lines[index].text.trim();
      if (text !== '' && !/^(-{3,}|\*{3,}|_{3,})$/.test(text)) return true;
    }
    return false;
  };

  const textOf = (section: Section): string => {
    const skip = new Array<boolean>(lines.length).fill(false);
    for (const nested of sections) {
      if (nested.start > section.start && nested.start < section.end && !hasProse(nested)) {
        for (let index = nested.start; index < nested.end; index++) skip[index] = true;
      }
    }
    const kept: string[] = [];
    for (let index = section.start; index < section.end; index++) if (!inQuestion[index] && !skip[index]) kept.push(lines[index].text);
    return tidyBlock(kept);
  };

  const cache = new Map<Section, string>();
  return (block) => {
    const enclosing = sections
      .filter((section) => section.start < block.startIndex && block.startIndex < section.end && section.level < block.level)
      .sort((a, b) => b.start - a.start);
    const section = enclosing.find(hasProse);
    if (!section) return '';
    let text = cache.get(section);
    if (text === undefined) {
      text = textOf(section);
      cache.set(section, text);
    }
    return text;
  };
}
