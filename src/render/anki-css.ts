import { cssStringValue, functionCalls, outsideStrings, parseRules, splitTopLevel, stripComments, type CssRule } from './anki-css-syntax';

/**
 * A note type's CSS, scoped to its cards and made safe to put on the page.
 *
 * In Anki a card is `<body class="card card1 [nightMode night_mode] [isMac…]"><div id="qa">…`;
 * here it is an element of the app. Every selector is rewritten to match only inside the card's
 * root (`.scope`): `.card`, `body`, `html`, `:root` and Anki's body classes become that root
 * (`.card1` → `.scope--card1`), `#qa` the content wrapper, and `.nightMode` / `.night_mode` the
 * app's dark theme. A selector that could reach outside the root (`.card ~ x`) is dropped.
 *
 * Nothing may load: `@import` goes, and `url()` is kept only for a same-document `#fragment` or a
 * `data:` image or font of bounded size (a deck's media file becomes one through `media`). Only
 * known CSS functions survive (no `expression()`, `image-set()`, `paint()`…), and no `behavior`
 * or `-moz-binding`. `@font-face` families and `@keyframes` names are renamed so they cannot
 * replace the app's own. The root is contained (layout and paint), so nothing inside it can cover
 * the app. Output is meant for a `<style>` element's `textContent` (the CSP allows inline styles).
 */

export interface AnkiCssOptions {
  /** The card root's class: letters, digits, `-` and `_`, not starting with a digit. */
  scope: string;
  /** Selector of the app's dark theme, put before rules written for Anki's night mode. */
  darkSelector?: string;
  /** A deck media file (`url(_font.woff2)`, the name percent-decoded) as a `data:` URL, or null when there is none. */
  media?: (name: string) => string | null;
  maxInputChars?: number;
  /** A `data:` URL written in the CSS itself. */
  maxDataUrlChars?: number;
  /** A deck media file's `data:` URL (fonts are larger than what a stylesheet inlines). */
  maxMediaDataUrlChars?: number;
}

export interface ScopedCss {
  css: string;
  /** What was left out, for a warning: `@import`, a remote `url()`, an unknown function… */
  dropped: { reason: DropReason; text: string }[];
}

export type DropReason = 'too-large' | 'import' | 'url' | 'at-rule' | 'function' | 'escape' | 'property' | 'selector' | 'nested-rule';

const DEFAULT_DARK = ":root[data-theme='dark']";
/** Anki's classes on `<body>` (qt/aqt/theme.py `body_class`, `body_classes_for_card_ord`; mobile clients add theirs). */
const ROOT_CLASS = /^(card\d*|nightMode|night_mode|isWin|isMac|isLin|win|mac|linux|mobile|android|iphone|ipad|ios|macos-dark-mode|fancy|reduce-motion|no-blur)$/;
const NIGHT = /^(nightMode|night_mode)$/;

const FUNCTIONS = new Set(
  (
    'rgb rgba hsl hsla hwb lab lch oklab oklch color color-mix light-dark calc min max clamp round mod rem abs sign var env attr counter counters ' +
    'linear-gradient radial-gradient conic-gradient repeating-linear-gradient repeating-radial-gradient repeating-conic-gradient -webkit-linear-gradient -webkit-radial-gradient ' +
    'translate translatex translatey translatez translate3d rotate rotatex rotatey rotatez rotate3d scale scalex scaley scalez scale3d skew skewx skewy matrix matrix3d perspective ' +
    'cubic-bezier steps linear blur brightness contrast drop-shadow grayscale hue-rotate invert opacity saturate sepia minmax repeat fit-content ' +
    'polygon circle ellipse inset rect xywh local format tech url not is where has nth-child nth-last-child nth-of-type nth-last-of-type lang dir'
  ).split(' '),
);
const DATA_URL = /^data:(image\/(png|jpe?g|gif|webp|avif|bmp|svg\+xml)|font\/(woff2?|ttf|otf|sfnt)|application\/(font-woff2?|x-font-woff|x-font-ttf|x-font-opentype|font-sfnt|vnd\.ms-fontobject))[;,]/i;
const BLOCKED_PROPERTY = /^(behavior|-ms-behavior|-moz-binding|contain|content-visibility)$/;
/** What the root itself may not set: it stays where the app puts it. */
const ROOT_LAYOUT = /^(position|inset|inset-.*|top|right|bottom|left|transform|translate|rotate|scale|margin|margin-.*|z-index|float|zoom)$/;

interface Scoper {
  scope: string;
  dark: string;
  dropped: ScopedCss['dropped'];
  media?: (name: string) => string | null;
  maxDataUrlChars: number;
  maxMediaDataUrlChars: number;
  keyframes: Map<string, string>;
  fonts: Map<string, string>;
}

const drop = (s: Scoper, reason: DropReason, text: string) => s.dropped.push({ reason, text: text.trim().slice(0, 200) });

/** Splits a selector into compounds and the combinators between them (`' '`, `>`, `+`, `~`); null when malformed. */
function compounds(selector: string): { parts: string[]; combinators: string[] } | null {
  const parts: string[] = [];
  const combinators: string[] = [];
  let current = '';
  let depth = 0;
  let pending: string | null = null;
  const plain = outsideStrings(selector);
  for (let i = 0; i < selector.length; i++) {
    const c = plain[i];
    if (depth === 0 && (/\s/.test(c) || c === '>' || c === '+' || c === '~')) {
      if (current) {
        parts.push(current);
        current = '';
      }
      if (c === '>' || c === '+' || c === '~') {
        if (parts.length === 0 || (pending !== null && pending !== ' ')) return null;
        pending = c;
      } else if (parts.length > 0 && pending === null) pending = ' ';
      continue;
    }
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    if (current === '' && parts.length > 0) {
      combinators.push(pending ?? ' ');
      pending = null;
    }
    current += selector[i];
  }
  if (current) parts.push(current);
  else if (pending !== null && pending !== ' ') return null;
  return parts.length ? { parts, combinators } : null;
}

/** Rewrites a compound's own `.class` names (not those inside `:not(…)` or `[…]`). */
function mapClasses(compound: string, map: (name: string) => string): string {
  const plain = outsideStrings(compound);
  let out = '';
  let depth = 0;
  for (let i = 0; i < compound.length; i++) {
    const c = plain[i];
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    const name = depth === 0 && c === '.' ? /^-?[A-Za-z_][\w-]*/.exec(compound.slice(i + 1))?.[0] : undefined;
    if (name) {
      out += map(name);
      i += name.length;
    } else out += compound[i];
  }
  return out;
}

/** A compound that stands for Anki's `<body>`: `html`, `body`, `:root`, or no element name and one of Anki's body classes. */
function isRootCompound(compound: string): boolean {
  const type = /^(\*|[A-Za-z][\w-]*|:root)?/.exec(compound)?.[0] ?? '';
  if (/^(html|body|:root)$/i.test(type)) return true;
  if (type !== '' && type !== '*') return false;
  let found = false;
  mapClasses(compound, (name) => {
    found ||= ROOT_CLASS.test(name);
    return '';
  });
  return found;
}

/** One selector, scoped; null when it cannot be kept inside the root. `root` tells whether it selects the root itself. */
function scopeSelector(selector: string, s: Scoper): { text: string; root: boolean } | null {
  if (/[{};@<\\]/.test(outsideStrings(selector))) return null;
  const split = compounds(selector.trim());
  if (!split) return null;
  const { parts, combinators } = split;
  let taken = 0;
  while (taken < parts.length && isRootCompound(parts[taken]) && (taken === 0 || combinators[taken - 1] === ' ' || combinators[taken - 1] === '>')) taken++;
  let dark = false;
  let root = `.${s.scope}`;
  for (const compound of parts.slice(0, taken)) {
    // What is left of a body compound once its element name and Anki's classes are mapped: pseudo-classes, attributes, other classes.
    const rest = mapClasses(compound.replace(/^(html|body|:root|\*)/i, ''), (name) => {
      if (NIGHT.test(name)) {
        dark = true;
        return '';
      }
      if (name === 'card') return '';
      return ROOT_CLASS.test(name) ? `.${s.scope}--${name}` : `.${name}`;
    });
    root += rest;
  }
  const tail = parts.slice(taken).map((compound) => compound.replace(/#qa(?![\w-])/g, `.${s.scope}-qa`));
  if (taken > 0 && tail.length > 0 && /[+~]/.test(combinators[taken - 1])) return null;
  let text = taken > 0 ? root : `.${s.scope}`;
  tail.forEach((compound, i) => {
    const combinator = taken > 0 ? combinators[taken + i - 1] : i === 0 ? ' ' : combinators[i - 1];
    text += combinator === ' ' ? ` ${compound}` : ` ${combinator} ${compound}`;
  });
  return { text: dark ? `${s.dark} ${text}` : text, root: tail.length === 0 };
}

/**
 * The media file a `url()` names, or null: a bare file name as Anki's media folder holds it, one
 * path segment (no `/`, `\\`, scheme, query or fragment, not `.` or `..`, before or after
 * percent-decoding), as the page would resolve it against that folder.
 */
export function cssMediaName(value: string): string | null {
  if (!/^[^/\\:?#]+$/.test(value)) return null;
  let name: string;
  try {
    name = decodeURIComponent(value);
  } catch {
    return null;
  }
  if (name.length > 255 || /^\.\.?$/.test(name) || /[/\\\0-\x1f\x7f]/.test(name)) return null;
  return name;
}

/** A `url(…)` argument as it may stay, or null. */
function safeUrl(argument: string, s: Scoper): string | null {
  const value = argument.trim().startsWith('"') || argument.trim().startsWith("'") ? cssStringValue(argument) : argument.trim();
  if (value.startsWith('#') && /^#[\w-]+$/.test(value)) return `"${value}"`;
  let data: string | null = null;
  let limit = s.maxDataUrlChars;
  if (/^data:/i.test(value)) data = value;
  else {
    const name = s.media ? cssMediaName(value) : null;
    if (name !== null && s.media) {
      data = s.media(name);
      limit = s.maxMediaDataUrlChars;
    }
  }
  if (data === null || !DATA_URL.test(data) || data.length > limit || /["\\\n]/.test(data)) return null;
  return `"${data}"`;
}

/** A declaration's value, checked and with url() arguments, keyframe names and font families rewritten; null to drop. */
function safeValue(property: string, value: string, s: Scoper): string | null {
  const plain = outsideStrings(value);
  if (/\\/.test(plain)) {
    drop(s, 'escape', value);
    return null;
  }
  if (/[{}<;]/.test(plain) || /@import/i.test(value)) {
    drop(s, 'property', value);
    return null;
  }
  let out = '';
  let pos = 0;
  for (const call of functionCalls(value)) {
    if (!FUNCTIONS.has(call.name)) {
      drop(s, 'function', `${call.name}(`);
      return null;
    }
    if (call.name !== 'url' || call.start < pos) continue;
    const url = safeUrl(value.slice(call.argsStart, call.end), s);
    if (url === null) {
      drop(s, 'url', value.slice(call.start, call.end + 1));
      return null;
    }
    out += `${value.slice(pos, call.argsStart)}${url})`;
    pos = call.end + 1;
  }
  out += value.slice(pos);
  if (/^(-webkit-)?animation(-name)?$/.test(property)) {
    out = out.replace(/-?[A-Za-z_][\w-]*/g, (word) => s.keyframes.get(word) ?? word);
  } else if (property === 'font-family' || property === 'font') {
    for (const [family, renamed] of s.fonts) {
      const name = family.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      out = out.replace(new RegExp(`(^|[\\s,])(["']?)${name}\\2(?=\\s*(,|!|$))`, 'g'), (_, before: string) => `${before}"${renamed}"`);
    }
  }
  return out;
}

/** A block's declarations, each checked; nested rules are dropped. */
function declarations(body: string, s: Scoper, forRoot: boolean): string[] {
  const out: string[] = [];
  for (const raw of splitTopLevel(body, ';')) {
    const text = raw.trim();
    if (!text) continue;
    if (/[{}]/.test(outsideStrings(text))) {
      drop(s, 'nested-rule', text);
      continue;
    }
    const colon = text.indexOf(':');
    const name = colon > 0 ? text.slice(0, colon).trim() : '';
    if (!/^(--[\w-]+|-?[A-Za-z][\w-]*)$/.test(name)) {
      drop(s, 'property', text);
      continue;
    }
    const property = name.startsWith('--') ? name : name.toLowerCase();
    if (BLOCKED_PROPERTY.test(property) || (forRoot && ROOT_LAYOUT.test(property))) {
      drop(s, 'property', text);
      continue;
    }
    const value = safeValue(property, text.slice(colon + 1).trim(), s);
    if (value !== null) out.push(`${property}: ${value}`);
  }
  return out;
}

function styleRule(rule: Extract<CssRule, { kind: 'style' }>, s: Scoper): string {
  const scoped = splitTopLevel(rule.prelude, ',').map((selector) => {
    const result = scopeSelector(selector, s);
    if (!result) drop(s, 'selector', selector);
    return result;
  });
  const inner = scoped.filter((x): x is { text: string; root: boolean } => x !== null && !x.root).map((x) => x.text);
  const root = scoped.filter((x): x is { text: string; root: boolean } => x !== null && x.root).map((x) => x.text);
  let out = '';
  if (inner.length) {
    const body = declarations(rule.body, s, false);
    if (body.length) out += `${inner.join(', ')} { ${body.join('; ')} }\n`;
  }
  if (root.length) {
    const body = declarations(rule.body, s, true);
    if (body.length) out += `${root.join(', ')} { ${body.join('; ')} }\n`;
  }
  return out;
}

/** `@media` / `@supports` / `@container` conditions: no URL, no escape, nothing that is not a condition. */
const safeCondition = (prelude: string) => !/[\\{};@]|url\(/i.test(outsideStrings(prelude)) && !/["']/.test(prelude);

function rules(list: CssRule[], s: Scoper): string {
  let out = '';
  for (const rule of list) {
    if (rule.kind === 'style') {
      out += styleRule(rule, s);
      continue;
    }
    const { name, prelude, body } = rule;
    if (name === 'import') drop(s, 'import', `@import ${prelude}`);
    else if ((name === 'media' || name === 'supports' || name === 'container') && body !== null && safeCondition(prelude)) {
      const inner = rules(parseRules(body), s);
      if (inner) out += `@${name} ${prelude} {\n${inner}}\n`;
    } else if (name === 'layer' && body !== null) {
      // Layers are global names; the rules keep their order without one.
      out += rules(parseRules(body), s);
    } else if (/^(-webkit-)?keyframes$/.test(name) && body !== null && s.keyframes.has(prelude)) {
      const frames = parseRules(body)
        .filter((frame): frame is Extract<CssRule, { kind: 'style' }> => frame.kind === 'style' && /^(from|to|[\d.]+%)(\s*,\s*(from|to|[\d.]+%))*$/i.test(frame.prelude))
        .map((frame) => `${frame.prelude} { ${declarations(frame.body, s, false).join('; ')} }`);
      out += `@${name} ${s.keyframes.get(prelude)} {\n${frames.join('\n')}\n}\n`;
    } else if (name === 'font-face' && body !== null) {
      const decls = declarations(body, s, false);
      if (decls.some((d) => d.startsWith('font-family:')) && decls.some((d) => d.startsWith('src:'))) out += `@font-face { ${decls.join('; ')} }\n`;
      else drop(s, 'at-rule', `@font-face ${body}`);
    } else drop(s, 'at-rule', `@${name} ${prelude}`);
  }
  return out;
}

/** Keyframe names and `@font-face` families the stylesheet declares, mapped to names of this scope only. */
function collectNames(list: CssRule[], s: Scoper): void {
  for (const rule of list) {
    if (rule.kind !== 'at' || rule.body === null) continue;
    if (/^(-webkit-)?keyframes$/.test(rule.name) && /^-?[A-Za-z_][\w-]*$/.test(rule.prelude)) s.keyframes.set(rule.prelude, `${s.scope}--${rule.prelude}`);
    else if (rule.name === 'font-face') {
      const family = /(?:^|;)\s*font-family\s*:\s*("[^"]*"|'[^']*'|[^;]+)/i.exec(rule.body)?.[1];
      if (family) {
        const name = cssStringValue(family).trim();
        if (/^[\w -]+$/.test(name)) s.fonts.set(name, `${s.scope}--${name.replace(/\s+/g, '-')}`);
      }
    } else if (rule.name === 'media' || rule.name === 'supports' || rule.name === 'layer' || rule.name === 'container') collectNames(parseRules(rule.body), s);
  }
}

/** The note type's CSS scoped to `.scope` and sanitized; see the module comment for the rules. */
export function scopeAnkiCss(css: string, options: AnkiCssOptions): ScopedCss {
  if (!/^[A-Za-z_][\w-]*$/.test(options.scope)) throw new RangeError(`"${options.scope}" is not a class name`);
  const s: Scoper = {
    scope: options.scope,
    dark: options.darkSelector ?? DEFAULT_DARK,
    dropped: [],
    media: options.media,
    maxDataUrlChars: options.maxDataUrlChars ?? 192 * 1024,
    maxMediaDataUrlChars: options.maxMediaDataUrlChars ?? 8 * 1024 * 1024,
    keyframes: new Map(),
    fonts: new Map(),
  };
  if (css.length > (options.maxInputChars ?? 512 * 1024)) return { css: '', dropped: [{ reason: 'too-large', text: `${css.length} characters` }] };
  const parsed = parseRules(stripComments(css));
  collectNames(parsed, s);
  const guard = `.${s.scope}.${s.scope}.${s.scope} { contain: layout paint !important; position: relative !important; }\n`;
  // `</` never appears outside a string in CSS; escaped in strings so the text is safe even inside HTML.
  const out = (rules(parsed, s) + guard).replace(/<\//g, '<\\/');
  return { css: out, dropped: s.dropped };
}

/** A `data:` URL that passes the checks, standing in for each file while the names are gathered. */
const PLACEHOLDER = 'data:image/png;base64,';

/**
 * The deck media files the stylesheet names in `url()` that `scopeAnkiCss` would ask its `media`
 * callback for (percent-decoded, path tricks refused): what to fetch before scoping it for real.
 */
export function ankiCssMediaNames(css: string): string[] {
  const names = new Set<string>();
  scopeAnkiCss(css, {
    scope: 'gather',
    media: (name) => {
      names.add(name);
      return PLACEHOLDER;
    },
  });
  return [...names];
}

/** Class names for a card's elements: the root (this note type's scope, Anki's `cardN`, the platform) and the content wrapper (Anki's `#qa`). */
export function ankiCardClasses(scope: string, ord: number, platform?: 'isWin' | 'isMac' | 'isLin'): { root: string; qa: string } {
  return { root: [scope, `${scope}--card${ord + 1}`, platform ? `${scope}--${platform}` : ''].filter(Boolean).join(' '), qa: `${scope}-qa` };
}
