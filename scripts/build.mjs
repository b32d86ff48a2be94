// Build: compile the nearley grammar (when present) into TypeScript, then run tsc.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const grammarMain = join(root, 'grammar', 'main.ne');
if (existsSync(grammarMain)) {
  mkdirSync(join(root, 'grammar', 'generated'), { recursive: true });
  execFileSync(
    bin('nearleyc'),
    [grammarMain, '-o', join(root, 'grammar', 'generated', 'grammar.ts')],
    {
      stdio: 'inherit',
    },
  );
}
execFileSync(bin('tsc'), ['-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
