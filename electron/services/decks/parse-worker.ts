import { parentPort } from 'node:worker_threads';
import { runParseJob, transferables, type ParseRequest } from './parse-job';

// The parser worker (isolated-parse.ts): reads one untrusted deck file per request, under the
// heap limit and the clock its parent set, and answers with validated rows or a refusal. It
// never sees the user's database.

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs as a worker thread');
port.on('message', (request: ParseRequest) => {
  const reply = runParseJob(request);
  port.postMessage(reply, transferables(reply));
});
