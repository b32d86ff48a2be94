// Lint rules for the whole tree; the compiled grammar and build output are skipped.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layers, bottom to top: engine/ and grammar/ at the bottom, dsl/ on both, display/ on
// engine/, app/ on dsl/ and display/, kernel/ and bin/ on top. Each folder lists the layers it
// must not import, so that an upward import fails the lint (and `npm test`), not a review.
const FORBIDDEN_LAYERS = {
  engine: ['grammar', 'dsl', 'display', 'app', 'kernel', 'bin'],
  grammar: ['engine', 'dsl', 'display', 'app', 'kernel', 'bin'],
  dsl: ['display', 'app', 'kernel', 'bin'],
  display: ['grammar', 'dsl', 'app', 'kernel', 'bin'],
  app: ['kernel', 'bin'],
  kernel: ['bin'],
};
// Sockets belong to the kernel and the command line only.
const ZEROMQ_ALLOWED = new Set(['kernel', 'bin']);

function layerRules(folder, forbidden) {
  const patterns = forbidden.map((layer) => ({
    regex: `^(\\.\\./)+${layer}(/|$)`,
    message: `${folder}/ is below ${layer}/ and must not import it.`,
  }));
  const paths = ZEROMQ_ALLOWED.has(folder)
    ? []
    : [{ name: 'zeromq', message: 'zeromq is used only in kernel/ and bin/.' }];
  return {
    files: [`${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
  };
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'grammar/generated/**',
      'out/**',
      'bench/data/**',
      'test/.tmp/**',
      'notebooks/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  ...Object.entries(FORBIDDEN_LAYERS).map(([folder, forbidden]) => layerRules(folder, forbidden)),
  {
    files: ['scripts/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
