/**
 * The one tag codec. A note's tags are stored as one space-separated text (as Anki stores them,
 * so `tag:` searches can match ` tag ` in SQL); everywhere else they are an array. A tag never
 * holds whitespace (the contract refuses it; importers split on it).
 */
export function decodeTags(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** Tags as stored. Order and repeats are kept: a note's hash covers its tags as the file had them. */
export function encodeTags(tags: readonly string[]): string {
  return tags.join(' ');
}
