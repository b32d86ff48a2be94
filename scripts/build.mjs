// Build: compile the nearley grammar into TypeScript (grammar/generated/, never edited by
// hand), then run tsc. A failing step exits with its status; its own output says why.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function step(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`build: ${command.split('/').pop()} failed`);
    process.exit(result.status ?? 1);
  }
}

mkdirSync(join(root, 'grammar', 'generated'), { recursive: true });
step(bin('nearleyc'), [
  join(root, 'grammar', 'main.ne'),
  '-o',
  join(root, 'grammar', 'generated', 'grammar.ts'),
]);
step(bin('tsc'), ['-p', join(root, 'tsconfig.json')]);
