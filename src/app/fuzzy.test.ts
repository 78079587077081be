import { describe, expect, it } from 'vitest';
import { fuzzyFilter, fuzzyScore } from './fuzzy';

describe('fuzzy matching of the command palette', () => {
  it('matches characters in order, not only together', () => {
    expect(fuzzyScore('stg', 'Go to Settings')).not.toBeNull();
    expect(fuzzyScore('gts', 'Go to Settings')).not.toBeNull();
    expect(fuzzyScore('xyz', 'Go to Settings')).toBeNull();
    expect(fuzzyScore('설정', '설정(으)로 이동')).not.toBeNull();
  });

  it('ranks word starts and runs first', () => {
    const items = ['Go to Browse', 'Go to Statistics', 'Go to Settings', 'Start review'];
    expect(fuzzyFilter(items, 'set', (s) => s)[0]).toBe('Go to Settings');
    expect(fuzzyFilter(items, 'sr', (s) => s)[0]).toBe('Start review');
    expect(fuzzyFilter(items, 'brow', (s) => s)).toEqual(['Go to Browse']);
    expect(fuzzyFilter(items, '', (s) => s)).toEqual(items);
  });
});
