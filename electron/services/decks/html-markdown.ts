/**
 * Sanitized Anki HTML → ProofDeck Markdown. The card renderer shows raw HTML as text (by design:
 * decks come from other people), so imported fields are converted to the Markdown it renders:
 * bold/italic/strike, line breaks, paragraphs, lists, headings, code, links, images (by media
 * name) and Anki's MathJax `\(…\)`/`\[…\]` back to `$…$`/`$$…$$`. Other tags keep their text.
 * Input must already be sanitized (sanitize.ts): tags are then well-formed and attributes quoted.
 */

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return entities[name.toLowerCase()] ?? whole;
  });
}

/** Text that Markdown must not interpret: its special characters are escaped. */
function escapeText(text: string): string {
  return text.replace(/([\\`*_$<~])/g, '\\$1').replace(/^(\s*)(?:([-+>#])|(\d+)([.)]))/gm, (_, space: string, mark?: string, digits?: string, dot?: string) => (mark ? `${space}\\${mark}` : `${space}${digits}\\${dot}`)).replace(/&(?=#?[a-z0-9]+;)/gi, '\\&');
}

function attribute(tag: string, name: string): string {
  const match = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return match ? decode(match[1]) : '';
}

function mediaTarget(name: string): string {
  return name.replace(/[ ()<>]/g, (c) => encodeURIComponent(c));
}

export function htmlToMarkdown(html: string): string {
  if (!/[<&\\$*_`[\]#|~>]/.test(html) && !/^\s*([-+]|\d+[.)])/m.test(html)) return html.trim();
  const math: string[] = [];
  // Anki's MathJax delimiters become ProofDeck's KaTeX ones; kept out of the escaping below.
  const source = html
    .replace(/\\\[([\s\S]+?)\\\]/g, (_, tex: string) => `\u0000${math.push(`$$${decode(tex)}$$`) - 1}\u0000`)
    .replace(/\\\(([\s\S]+?)\\\)/g, (_, tex: string) => `\u0000${math.push(`$${decode(tex).trim()}$`) - 1}\u0000`);
  const out: string[] = [];
  const lists: ('ul' | 'ol')[] = [];
  const counters: number[] = [];
  let link: string | null = null;
  let pre = false;
  for (const token of source.split(/(<[^>]+>)/g)) {
    if (!token) continue;
    if (token[0] !== '<') {
      const text = decode(token);
      out.push(pre ? text : escapeText(text.replace(/\s+/g, ' ')));
      continue;
    }
    const match = /^<\s*(\/?)\s*([a-z0-9]+)/i.exec(token);
    if (!match) continue;
    const closing = match[1] === '/';
    const tag = match[2].toLowerCase();
    switch (tag) {
      case 'b':
      case 'strong':
        out.push('**');
        break;
      case 'i':
      case 'em':
        out.push('*');
        break;
      case 's':
        out.push('~~');
        break;
      case 'br':
        out.push(pre ? '\n' : '\\\n');
        break;
      case 'p':
      case 'div':
      case 'blockquote':
      case 'table':
      case 'tr':
        out.push('\n\n');
        break;
      case 'td':
      case 'th':
        if (!closing) out.push(' ');
        break;
      case 'hr':
        out.push('\n\n---\n\n');
        break;
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        out.push(closing ? '\n\n' : `\n\n${'#'.repeat(Number(tag[1]))} `);
        break;
      case 'ul':
      case 'ol':
        if (closing) {
          lists.pop();
          counters.pop();
        } else {
          lists.push(tag);
          counters.push(0);
        }
        out.push('\n\n');
        break;
      case 'li':
        if (!closing) {
          const depth = Math.max(0, lists.length - 1);
          const kind = lists[lists.length - 1] ?? 'ul';
          const number = kind === 'ol' ? `${++counters[counters.length - 1]}.` : '-';
          out.push(`\n${'   '.repeat(depth)}${number} `);
        }
        break;
      case 'pre':
        pre = !closing;
        out.push(closing ? '\n```\n\n' : '\n\n```\n');
        break;
      case 'code':
        if (!pre) out.push('`');
        break;
      case 'a':
        if (!closing) {
          link = attribute(token, 'href');
          if (link) out.push('[');
        } else if (link) {
          out.push(`](${link.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`);
          link = null;
        }
        break;
      case 'img': {
        const src = attribute(token, 'src');
        if (src) out.push(`![${escapeText(attribute(token, 'alt'))}](${mediaTarget(src)})`);
        break;
      }
      default:
        break;
    }
  }
  return out
    .join('')
    .replace(/\u0000(\d+)\u0000/g, (_, index: string) => math[Number(index)] ?? '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\*\*\*\*|(?<!\*)\*\*(?!\*)(?=\s*\*\*)/g, '')
    .trim();
}
