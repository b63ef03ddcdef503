// @vitest-environment node
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// bulletproof-react's rule: a feature never imports another feature; shared
// code lives in src/lib or src/components, and src/app composes features.
const featuresDir = fileURLToPath(new URL('../src/features', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

function importedFeature(fromFile: string, specifier: string): string | null {
  if (specifier.startsWith('@/features/')) return specifier.split('/')[2] ?? null;
  if (!specifier.startsWith('.')) return null;
  const target = relative(featuresDir, resolve(fromFile, '..', specifier));
  return target.startsWith('..') ? null : (target.split(sep)[0] ?? null);
}

describe('feature boundaries', () => {
  it('no feature imports from another feature', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(featuresDir)) {
      const own = relative(featuresDir, file).split(sep)[0];
      if (!own || !statSync(join(featuresDir, own)).isDirectory()) continue;
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/(?:from\s+|import\s*\(?\s*)['"]([^'"]+)['"]/g)) {
        const feature = importedFeature(file, match[1]!);
        if (feature && feature !== own) violations.push(`${relative(featuresDir, file)} → ${match[1]}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
