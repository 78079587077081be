// @vitest-environment jsdom
// (jsdom: mermaid's parser needs a DOM to load.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findMeta } from '../../../src/experiments/catalog';
import { parseMarkdownDeck, type ParsedNote } from './markdown/parse';
import { readMarkdownFolder } from './markdown/folder';
import {
  builtinExperimentIds,
  cardRenderer,
  diagramsOf,
  formulasOf,
  mathProblems,
  renderFormula,
  servingExperimentIds,
  sourceLineOf,
  sramSlips,
} from '../../testing/deck-content';

/** Content checks on the second built-in deck: seven interview topics, each proved by its experiment. */

const deckDir = join(__dirname, '../../../resources/decks/llm-serving');
const files = { ko: readFileSync(join(deckDir, 'ko.md'), 'utf8'), en: readFileSync(join(deckDir, 'en.md'), 'utf8') };
const folder = readMarkdownFolder(deckDir);
const deck = folder.decks[0];
const byId = new Map(deck.notes.map((note) => [note.id, note]));
const hangul = /[\uAC00-\uD7A3]/;

/** Both languages of an answer, for facts that must hold in each. */
function answers(id: string): { ko: string; en: string } {
  const note = byId.get(id);
  expect(note, id).toBeDefined();
  return { ko: note!.back, en: note!.translations.en.back };
}

/** The deck's sections in file order: a note's context opens with its section's heading. */
function sections(notes: ParsedNote[]): { heading: string; notes: ParsedNote[] }[] {
  const found: { heading: string; notes: ParsedNote[] }[] = [];
  for (const note of notes) {
    const heading = note.context.split('\n')[0];
    if (found.at(-1)?.heading !== heading) found.push({ heading, notes: [] });
    found.at(-1)!.notes.push(note);
  }
  return found;
}

describe('the built-in llm-serving deck', () => {
  it('parses without a warning, under one name that reads the same in both languages', () => {
    expect(folder.warnings).toEqual([]);
    expect(folder.decks).toHaveLength(1);
    expect(deck.meta).toMatchObject({ key: 'llm-serving', language: 'ko', version: 1, title: 'LLM Inference: Serving & Attention' });
    const title = (text: string) => /^title:\s*"?([^"\n]+)"?$/m.exec(text)?.[1];
    expect(title(files.en)).toBe(deck.meta.title);
    // The Decks screen finds the first deck by "KV-Cache"; this one must not match it.
    expect(deck.meta.title).not.toMatch(/kv-cache/i);
  });

  it('has at least 35 notes in seven sections of at least five, each section proved by its own experiment', () => {
    expect(deck.notes.length).toBeGreaterThanOrEqual(35);
    const found = sections(deck.notes);
    expect(found.map((section) => section.notes[0].experiment?.id)).toEqual([...servingExperimentIds]);
    for (const [index, section] of found.entries()) {
      expect(section.heading, section.notes[0].id).toMatch(/^# \S/);
      expect(section.notes.length, section.heading).toBeGreaterThanOrEqual(5);
      for (const note of section.notes) expect(note.experiment?.id, note.id).toBe(servingExperimentIds[index]);
    }
  });

  it('links every card to a known experiment, with params its schema accepts once the experiment exists', () => {
    for (const note of deck.notes) {
      expect(note.experiment, note.id).not.toBeNull();
      expect(builtinExperimentIds, note.id).toContain(note.experiment!.id);
      const meta = findMeta(note.experiment!.id);
      // Until the experiment is in the catalog nobody can say which params it takes: none are passed.
      if (!meta) expect(note.experiment!.params, note.id).toEqual({});
      else expect(meta.params.safeParse(note.experiment!.params).success, note.id).toBe(true);
    }
  });

  it('has the same notes in Korean and English: same ids, same order, same prove blocks', () => {
    const ko = parseMarkdownDeck(files.ko, { fileName: 'ko.md' });
    const en = parseMarkdownDeck(files.en, { fileName: 'en.md' });
    expect(en.warnings).toEqual([]);
    expect(en.meta).toMatchObject({ key: 'llm-serving', language: 'en', translationOf: 'ko', version: 1 });
    expect(en.notes.map((note) => note.id)).toEqual(ko.notes.map((note) => note.id));
    expect(en.notes.map((note) => note.experiment)).toEqual(ko.notes.map((note) => note.experiment));
    expect(en.notes.map((note) => note.tags)).toEqual(ko.notes.map((note) => note.tags));
    for (const note of deck.notes) {
      expect(note.front, note.id).toMatch(hangul);
      expect(note.back, note.id).toMatch(hangul);
      const english = note.translations.en;
      expect(english, note.id).toBeDefined();
      for (const field of [english.front, english.back, english.context]) expect(field, note.id).not.toMatch(hangul);
      expect(english.back.length, note.id).toBeGreaterThan(200);
      expect(note.context.length, note.id).toBeGreaterThan(200);
    }
  });

  it('ends every answer with its source, the same works and sections in both languages', () => {
    /** Years and section marks cited: a translation that drops or changes a citation shows here. */
    const citations = (line: string) => [...line.matchAll(/\((?:19|20)\d\d\)|§[\d.–]+|Eq\w*\.? \(\d+\)|식 \(\d+\)/g)].map((match) => match[0].replace(/^식/, 'Eq.').replace(/^Equation/, 'Eq.'));
    for (const note of deck.notes) {
      const ko = sourceLineOf(note.back);
      const en = sourceLineOf(note.translations.en.back);
      expect(ko, note.id).toMatch(/^출처: \S/);
      expect(en, note.id).toMatch(/^Source: \S/);
      expect(ko, note.id).toMatch(/\((?:19|20)\d\d\)/);
      expect(citations(en), note.id).toEqual(citations(ko));
    }
    // The check can fail: an answer whose last paragraph is not a source.
    expect(sourceLineOf('A claim.\n\nAnother claim.')).not.toMatch(/^Source: /);
  });

  it('renders every formula with KaTeX, and shows no formula error or stray $ through the card renderer', async () => {
    let formulas = 0;
    for (const text of [files.ko, files.en]) {
      for (const formula of formulasOf(text)) {
        expect(() => renderFormula(formula), formula.tex).not.toThrow();
        formulas++;
      }
    }
    expect(formulas).toBeGreaterThan(400);

    const renderMarkdown = await cardRenderer();
    const fields = new Set(deck.notes.flatMap((note) => [note.front, note.back, note.context, note.translations.en.front, note.translations.en.back, note.translations.en.context]));
    let rendered = 0;
    for (const field of fields) {
      const html = renderMarkdown(field);
      expect(mathProblems(html), field.slice(0, 60)).toEqual([]);
      rendered += (html.match(/class="katex"/g) ?? []).length;
    }
    expect(rendered).toBeGreaterThan(400);
  });

  it('draws its three diagrams with mermaid 12 in both languages', async () => {
    const mermaid = (await import('mermaid')).default;
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    const withDiagram = deck.notes.filter((note) => diagramsOf(note.back).length > 0);
    expect(withDiagram.map((note) => note.id)).toEqual(['gqa-groups', 'paged-block-table', 'spec-how-faster']);
    for (const note of withDiagram) {
      for (const back of [note.back, note.translations.en.back]) {
        const [source] = diagramsOf(back);
        await expect(mermaid.parse(source), note.id).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
      }
    }
  });

  it('never says the KV-cache is stored in SRAM', () => {
    expect(sramSlips(files.ko)).toEqual([]);
    expect(sramSlips(files.en)).toEqual([]);
  });
});

describe('the numbers on the llm-serving cards', () => {
  /** A figure as the card writes it in English (thousands with commas, KaTeX's {,} in math). */
  const shows = (text: string, figure: string) => expect(text.replace(/\{,\}/g, ',')).toContain(figure);

  it('batching: GEMM vs GEMV intensity, the batch-1 decode ceiling, Orca', () => {
    // Square FP16 GEMM at n = 4096: 2n / (3b) FLOP/byte.
    expect(Math.floor((2 * 4096) / (3 * 2))).toBe(1365);
    shows(answers('gemm-vs-gemv-intensity').en, '1,365 FLOP/byte');
    // 14 GB of weights at 2 TB/s: 7 ms a step, about 140 tokens/s.
    expect(14e9 / 2e12).toBe(0.007);
    expect(Math.round(1 / 0.007 / 10) * 10).toBe(140);
    shows(answers('prefill-compute-decode-memory').en, 'about 7 ms');
    shows(answers('prefill-compute-decode-memory').en, 'about 140 tokens per second');
    // A100 80GB SXM: 312 TFLOP/s over 2.039 TB/s.
    expect(Math.round(312e12 / 2.039e12 / 10) * 10).toBe(150);
    shows(answers('roofline-arithmetic-intensity').en, 'I^* \\approx 150');
    expect(answers('decode-attention-batching').en).toContain('\\Theta(n/d + 1/b)');
    shows(answers('continuous-batching-orca').en, '36.9×');
  });

  it('GQA: Llama 2 70B cache per token and per 4,096-token sequence', () => {
    const perToken = 2 * 80 * 8 * 128 * 2;
    expect(perToken).toBe(327_680);
    expect((perToken * 4096) / 1024 ** 3).toBe(1.25);
    expect((perToken * 8 * 4096) / 1024 ** 3).toBe(10);
    const { ko, en } = answers('gqa-cache-size');
    for (const text of [ko, en]) {
      shows(text, '327,680');
      shows(text, '1.25 GiB');
      shows(text, '10 GiB');
      expect(text).toContain('\\frac{\\text{MHA}}{\\text{GQA}} = \\frac{H}{G}');
    }
    shows(answers('gqa-uptraining').en, '$\\alpha = 0.05$');
  });

  it('PagedAttention: the OPT-13B cache, the waste before, the last-block bound', () => {
    expect(2 * 5120 * 40 * 2).toBe(819_200);
    shows(answers('paged-waste-before').en, '819,200');
    shows(answers('paged-waste-before').en, '20.4%–38.2%');
    const blocks = Math.ceil(300 / 16);
    expect([blocks, blocks * 16 - 300, ((blocks * 16 - 300) / (blocks * 16)) * 100]).toEqual([19, 4, expect.closeTo(1.3, 1)]);
    shows(answers('paged-waste-bound').en, '19 blocks (304 slots) and leaves 4 empty (1.3%)');
    shows(answers('paged-waste-bound').en, 'under 4%');
  });

  it('quantisation: 4× and 8× against f32, the 4-bit metadata, int8 against 4-bit error', () => {
    const { en } = answers('kvq-memory-ratio');
    expect([4 / 1, 4 / 0.5, 16 / (4 + 32 / 32)]).toEqual([4, 8, 3.2]);
    shows(en, '| int8 | 1 | **4×** | 2× |');
    shows(en, '| 4-bit integer | 0.5 | **8×** | 4× |');
    shows(en, '3.2× smaller than f16');
    expect((2 ** 8 - 1) / (2 ** 4 - 1)).toBe(17);
    shows(answers('kvq-asymmetric').en, 'a factor of about 17');
  });

  it('RoPE: the relative-position identity holds, and the slowest pair turns once in about 54,000 tokens', () => {
    const rotate = (angle: number, [x, y]: number[]) => [Math.cos(angle) * x - Math.sin(angle) * y, Math.sin(angle) * x + Math.cos(angle) * y];
    const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1];
    const q = [0.3, -1.2];
    const k = [0.7, 0.4];
    const theta = 0.01;
    for (const [m, n, shift] of [[5, 2, 1000], [0, 37, 12345]]) {
      expect(dot(rotate((m + shift) * theta, q), rotate((n + shift) * theta, k))).toBeCloseTo(dot(rotate(m * theta, q), rotate(n * theta, k)), 12);
    }
    expect(answers('rope-relative').en).toContain('(W_q x_m)^\\top\\, R^d_{\\Theta, n-m}\\, (W_k x_n)');
    const slowest = 10000 ** (-(128 - 2) / 128);
    expect(Math.round((2 * Math.PI) / slowest / 1000)).toBe(54);
    shows(answers('rope-frequencies').en, 'about 54,000 when $d = 128$');
    expect(answers('rope-frequencies').ko).toContain('약 5만 4천 토큰');
    shows(answers('rope-long-context').en, '32,768 tokens');
  });

  it('speculative decoding: the acceptance rule gives exactly p; the expected tokens and the speedup', () => {
    const p = [0.5, 0.3, 0.15, 0.05];
    const q = [0.1, 0.6, 0.2, 0.1];
    const rest = p.map((value, x) => Math.max(0, value - q[x]));
    const restMass = rest.reduce((a, b) => a + b, 0);
    const emitted = p.map((_, x) => q[x] * Math.min(1, p[x] / q[x]) + restMass * (rest[x] / restMass));
    emitted.forEach((value, x) => expect(value).toBeCloseTo(p[x], 12));
    const expected = (alpha: number, gamma: number) => (1 - alpha ** (gamma + 1)) / (1 - alpha);
    expect(expected(0.8, 4)).toBeCloseTo(3.36, 2);
    expect(expected(0.5, 4)).toBeCloseTo(1.94, 2);
    expect(expected(0.8, 4) / (4 * 0.05 + 1)).toBeCloseTo(2.8, 2);
    const tokens = answers('spec-expected-tokens').en;
    expect(tokens).toContain('\\frac{1 - \\alpha^{\\gamma + 1}}{1 - \\alpha}');
    shows(tokens, '\\approx 3.36$ tokens');
    shows(tokens, 'about 1.94');
    const speedup = answers('spec-walltime').en;
    expect(speedup).toContain('S = \\frac{1 - \\alpha^{\\gamma + 1}}{(1 - \\alpha)(\\gamma c + 1)}');
    shows(speedup, '$3.36 / 1.2 \\approx 2.8$×');
    expect(answers('spec-acceptance-exact').en).toContain('\\max\\big(0,\\; p(x) - q(x)\\big)');
    expect(answers('spec-greedy-identical').en).toMatch(/^Yes, \*\*token for token\*\*/);
  });

  it('online softmax: overflow thresholds, and the one-pass recurrence matching the two-pass result', () => {
    expect(Math.log(3.4028234663852886e38)).toBeCloseTo(88.72, 2);
    expect(Math.log(65504)).toBeCloseTo(11.09, 2);
    shows(answers('softmax-overflow').en, '\\approx 88.7');
    shows(answers('softmax-overflow').en, '\\approx 11.1');
    const logits = [3, 1000, -2, 999.5, 12];
    let m = -Infinity;
    let d = 0;
    for (const x of logits) {
      const next = Math.max(m, x);
      d = d * Math.exp(m - next) + Math.exp(x - next);
      m = next;
    }
    const max = Math.max(...logits);
    expect([m, d]).toEqual([max, expect.closeTo(logits.reduce((sum, x) => sum + Math.exp(x - max), 0), 12)]);
    expect(answers('online-softmax-recurrence').en).toContain('d_j = d_{j-1}\\, e^{m_{j-1} - m_j} + e^{x_j - m_j}');
    shows(answers('softmax-memory-accesses').en, '| safe | max (load) → sum (load) → normalise (load + store) | 4 |');
    shows(answers('softmax-memory-accesses').en, 'up to 1.3×');
  });
});
