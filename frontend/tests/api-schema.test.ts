// @vitest-environment node
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';

// src/lib/api-schema.ts is generated from openapi.json (itself exported from
// the backend, see tests/api/test_openapi_contract.py). This fails when the
// committed file no longer matches what the generator makes of the schema.
const schemaUrl = new URL('../openapi.json', import.meta.url);
const generatedPath = fileURLToPath(new URL('../src/lib/api-schema.ts', import.meta.url));

describe('generated API types', () => {
  it('src/lib/api-schema.ts matches openapi.json', async () => {
    const ast = await openapiTS(schemaUrl, { silent: true });
    const expected = `${COMMENT_HEADER}${astToString(ast)}`;
    const committed = readFileSync(generatedPath, 'utf8');
    expect(
      committed === expected,
      'src/lib/api-schema.ts is out of date: run `python -m api.openapi_export && cd frontend && npm run api:types`',
    ).toBe(true);
  }, 60_000);
});
