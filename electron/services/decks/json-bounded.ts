import { tooLarge } from './limits';

/**
 * JSON.parse runs in native code that neither the worker's heap limit nor its termination can
 * stop mid-way: a few MiB of `[{},{},…]` grow the heap past any limit before it returns (a parsed
 * `{}` takes about 67 bytes of heap for 3 bytes of text). So untrusted JSON is first scanned in
 * JavaScript, counting the values it would create (each `{`, `[` and `,` outside strings), and
 * parsed only when that count is within the caller's bound, about 40 bytes of heap each.
 */
export function checkJsonSize(text: string, what: string, maxValues: number): void {
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b || c === 0x2c) {
      if (++values > maxValues) {
        throw tooLarge(`${what} holds more than ${maxValues} JSON values`, { file: what.slice(0, 80), limit: maxValues }, 'json-too-complex');
      }
    }
  }
}

/** JSON.parse after checkJsonSize; syntax errors propagate as JSON.parse throws them. */
export function parseJsonBounded(text: string, what: string, maxValues: number): unknown {
  checkJsonSize(text, what, maxValues);
  return JSON.parse(text);
}
