import { createHash } from 'node:crypto';
import { invalid } from './types';

const mimeByExtension: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  webm: 'video/webm',
  // Fonts a note type's CSS names (`url(_font.woff2)`).
  woff2: 'font/woff2',
  woff: 'font/woff',
  ttf: 'font/ttf',
  otf: 'font/otf',
};

export function mimeOf(name: string): string {
  const extension = name.toLowerCase().split('.').pop() ?? '';
  return mimeByExtension[extension] ?? 'application/octet-stream';
}

/**
 * Media are referenced by bare name from card HTML, so a name is one path segment of ordinary
 * characters: no separators, no `..`, no control characters.
 */
export function checkMediaName(name: string): string {
  if (!name || name.length > 255 || name === '.' || name === '..' || /[\\/\0-\x1f]/.test(name)) {
    throw invalid('media-name', `media file name '${name.slice(0, 60)}' is not allowed`, { name: name.slice(0, 60) });
  }
  return name;
}

export const sha1Hex = (data: Uint8Array): string => createHash('sha1').update(data).digest('hex');
