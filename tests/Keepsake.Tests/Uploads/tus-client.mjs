// Uploads one file to Keepsake with the real tus-js-client (installed by scripts/test.sh into KEEPSAKE_TEST_TOOLS),
// as a phone app would: it resumes by itself after a dropped connection or a server that went away.
// Arguments: a JSON object {endpoint, file, cookie, xsrfHeader, xsrfToken, chunkSize?, holdAtOffset?, metadata}.
// Writes one JSON line per event to stdout: progress, every response (method, status, Upload-Offset), then success or error.
// With holdAtOffset, the first PATCH from that offset on waits, after printing a 'held' event, until a line arrives on
// stdin: the test does something to the server in between (kills it) knowing exactly how far the upload got.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const require = createRequire(join(process.env.KEEPSAKE_TEST_TOOLS, 'node_modules', 'noop.js'));
const tus = require('tus-js-client');
const options = JSON.parse(process.argv[2]);
const print = (event) => process.stdout.write(JSON.stringify(event) + '\n');
// Resolves on the next line from stdin, which is read only then (and let go after), so a client never held just exits.
const nextLine = () => new Promise((resolve) => {
  const lines = createInterface({ input: process.stdin });
  lines.once('line', () => {
    lines.close();
    process.stdin.destroy();
    resolve();
  });
});
let held = options.holdAtOffset == null;

const upload = new tus.Upload(readFileSync(options.file), {
  endpoint: options.endpoint,
  chunkSize: options.chunkSize ?? Infinity,
  // A restarted server takes a few seconds to be back: keep trying for a minute.
  retryDelays: Array(60).fill(1000),
  metadata: options.metadata,
  headers: { Cookie: options.cookie, [options.xsrfHeader]: options.xsrfToken },
  onBeforeRequest: async (request) => {
    const offset = Number(request.getHeader('Upload-Offset'));
    if (!held && request.getMethod() === 'PATCH' && offset >= options.holdAtOffset) {
      held = true;
      print({ event: 'held', offset: String(offset) });
      await nextLine();
    }
  },
  removeFingerprintOnSuccess: true,
  onProgress: (sent, total) => print({ event: 'progress', sent, total }),
  onAfterResponse: (request, response) => print({
    event: 'response',
    method: request.getMethod(),
    status: response.getStatus(),
    offset: response.getHeader('Upload-Offset') ?? null,
    photoId: response.getHeader('Upload-Photo-Id') ?? null,
  }),
  onSuccess: (payload) => {
    print({ event: 'success', url: upload.url, photoId: payload.lastResponse.getHeader('Upload-Photo-Id') ?? null });
  },
  onError: (error) => {
    print({ event: 'error', message: String(error) });
    process.exitCode = 1;
  },
});
upload.start();
