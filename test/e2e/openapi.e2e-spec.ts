import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateOpenApi, OPENAPI_SPECS } from '../../apps/cli/src/commands/openapi';
import { testConfig } from '../support/config';

// The contract's paths each document must hold (ARCHITECTURE.md), so an empty document cannot pass.
const CONTRACT_PATHS: Record<string, string[]> = {
  'intake-api.json': ['/api/v1/reports', '/api/v1/reports/{reference}/status'],
  'console-api.json': ['/api/v1/cases', '/api/v1/cases/{id}', '/api/v1/queues'],
};

/** The committed OpenAPI documents are what the code serves; regenerate with `npm run openapi:write`. */
describe('committed OpenAPI documents', () => {
  it.each(OPENAPI_SPECS.map((spec) => [spec.file, spec] as const))('%s matches the code', async (file, spec) => {
    const committed = readFileSync(join(__dirname, '..', '..', 'docs', 'openapi', file), 'utf8');
    const generated = await generateOpenApi(spec, testConfig());
    expect(generated).toBe(committed);
    const document = JSON.parse(generated);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(CONTRACT_PATHS[file]));
  });
});
