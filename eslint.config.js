// ESLint (flat config): typescript-eslint's recommended rules, React's hooks rules, and the layers of src/:
// page (App, ui/) -> worker/ -> training/, library/ -> backend/ -> storage/ -> model/ -> data/ -> preprocess/.
// A feature's shared/ core (src/features/*/shared/) is pure, for the page and the workers: model/ and below.
// A feature's worker/ side (src/features/*/worker/, TensorFlow.js) sits with worker/: the page imports its types only.
// A feature's client/ side (src/features/*/client/, React) is page code, held to the page's rules.
// An import may run down the layers, never up; the page reaches the workers' internals only by type.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Folders a file must not import from, as no-restricted-imports patterns. */
const folders = (...names) => names.map((name) => `**/${name}/**`);
const TESTING = { group: folders('testing'), message: 'src/testing/ is test support: only tests import it.' };
/** One rule per set of files (a later config would replace an earlier one's patterns, not add to them). */
const layer = (files, ...patterns) => ({
  files,
  ignores: ['**/*.test.ts'],
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [...patterns, TESTING] }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'dist-*/**', 'test-results-*/**', 'public/**', 'test-results/**', 'playwright-report/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/**/*.tsx', 'src/ui/**/*.ts', 'src/features/*/client/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  layer(['src/{preprocess,data,model,storage,backend,pwa}/**'], {
    group: [...folders('ui', 'worker', 'training', 'library'), '**/App'],
    message: 'This layer sits below the workers and the page: import only from preprocess/, data/, model/, storage/, backend/.',
  }),
  layer(['src/{training,library}/**'], { group: [...folders('ui', 'worker'), '**/App'], message: 'Worker concerns sit below the workers and the page.' }),
  layer(['src/worker/**'], { group: [...folders('ui'), '**/App'], message: 'Workers never import page code.' }),
  layer(['src/ui/**', 'src/*.{ts,tsx}', 'src/features/*/client/**'], {
    group: [...folders('storage', 'training', 'library', 'backend'), '**/features/*/worker/**'],
    allowTypeImports: true,
    message: 'The page reaches storage, training and the model library through the workers (ui/workers.ts); import their types only.',
  }),
  layer(['src/features/*/shared/**'], {
    group: [...folders('ui', 'worker', 'training', 'library', 'backend', 'storage'), '**/App', '@tensorflow/*'],
    message: "A feature's shared/ core serves the page and the workers alike: no TensorFlow.js, no page, worker or storage code.",
  }),
  layer(['src/features/*/worker/**'], { group: [...folders('ui'), '**/App'], message: "A feature's worker side runs in the workers: no page code." }),
  layer(['scripts/**'], { group: ['**/e2e/**', '**/playwright.config'], message: 'Scripts do not import test code.' }),
);
