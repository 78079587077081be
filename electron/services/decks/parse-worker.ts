import { parentPort } from 'node:worker_threads';
import { runParseJob, transferables, type ParseRequest } from './parse-job';
import type { FromParser } from './isolated-parse';

// The parser worker (isolated-parse.ts): reads one untrusted deck file per request, under the
// heap limit and the clock its parent set, and answers with validated rows or a refusal. It
// never sees the user's database.

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs as a worker thread');
const post = (message: FromParser, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
port.on('message', (request: ParseRequest) => {
  const reply = runParseJob(request);
  post({ type: 'reply', reply }, transferables(reply));
});
// The parsers are loaded: the parent starts the file's clock from here.
post({ type: 'ready' });
