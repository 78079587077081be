import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { htmlToMarkdown } from './html-markdown';
import { markdownToAnkiHtml } from './anki/html';

const md = new MarkdownIt({ html: false });

describe('Anki HTML → Markdown', () => {
  it('keeps formatting, images by media name, lists, code and math', () => {
    expect(htmlToMarkdown('card #3 with image <img src="anki.png" />')).toBe('card #3 with image ![](anki.png)');
    expect(htmlToMarkdown('a<br />b <b>bold</b> <i>it</i>')).toBe('a\\\nb **bold** *it*');
    expect(htmlToMarkdown('<ul><li>one</li><li>two</li></ul>')).toBe('- one\n- two');
    expect(htmlToMarkdown('<div><pre>apple</pre></div>')).toBe('```\napple\n```');
    expect(htmlToMarkdown('\\(x^2\\) and \\[\\sum_i\\]')).toBe('$x^2$ and $$\\sum_i$$');
    expect(htmlToMarkdown('<a href="https://example.com/a b">link</a>')).toBe('[link](https://example.com/a%20b)');
  });

  it('escapes text so that it renders as the same text, not as Markdown', () => {
    for (const text of ['1 * 2 * 3 costs $5', '# not a heading', '- not a list', '&lt;script&gt; is text', 'a_b_c `x`', '1. not a list either']) {
      const markdown = htmlToMarkdown(text);
      const rendered = md.render(markdown).replace(/<\/?p>\n?/g, '').trim();
      // the field's HTML shows these characters; the Markdown renders back to the same HTML
      expect(rendered).toBe(text);
    }
  });

  it('round-trips ProofDeck Markdown through Anki HTML for the common constructs', () => {
    for (const source of ['**bold** and *italic*', 'inline $x^2$ math', '- one\n- two', '![](anki.png)']) {
      expect(htmlToMarkdown(markdownToAnkiHtml(source).html)).toBe(source);
    }
  });
});
