// @vitest-environment node
import { readFile } from 'node:fs/promises';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { expect, it } from 'vitest';

it('the committed schema.d.ts is what openapi-typescript makes of the committed openapi.json', async () => {
  // The same steps as the openapi-typescript command line that `npm run generate` runs.
  const generated = COMMENT_HEADER + astToString(await openapiTS(new URL('../../openapi.json', import.meta.url)));
  const committed = await readFile(new URL('./schema.d.ts', import.meta.url), 'utf8');

  expect(committed === generated, 'src/api/schema.d.ts is stale: run `npm run generate` in src/Keepsake.Web (or scripts/generate-api-client.sh after a server change)').toBe(true);
}, 30_000);
