// @ts-check
import fs from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const workspaceRoot = import.meta.dirname;
const packageDirs = new Map();
/** The workspace package a file belongs to: the nearest folder above it with a package.json. */
function packageOf(file) {
  const dir = path.dirname(file);
  if (!packageDirs.has(dir)) {
    const inside = dir.startsWith(workspaceRoot + path.sep);
    const found = !inside || fs.existsSync(path.join(dir, 'package.json')) ? dir : packageOf(dir);
    packageDirs.set(dir, found);
  }
  return packageDirs.get(dir);
}

/**
 * A relative import stays inside its own package: another package is reached by its name, through its index, so
 * that what a package offers is its index and nothing else (no `../../` into another package's files).
 */
const relativeImportsStayInPackage = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      across: "'{{source}}' reaches into another package: import '{{to}}' (its index) instead",
    },
  },
  create(context) {
    const from = packageOf(context.filename);
    const check = (source) => {
      if (source?.type !== 'Literal' || typeof source.value !== 'string' || !source.value.startsWith('.'))
        return;
      const to = packageOf(path.join(path.resolve(path.dirname(context.filename), source.value), 'index'));
      if (to === from) return;
      const name = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name;
      context.report({ node: source, messageId: 'across', data: { source: source.value, to: name(to) } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node.arguments[0]);
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'coverage/**', '.eventfold/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: workspaceRoot } },
    rules: {
      // A promise nobody awaits loses its error, and one passed where a callback's result is ignored does too.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Off: an async method without await is how a port's promise-returning method is written when it has nothing to wait for (178 of them; a throw still rejects).
      '@typescript-eslint/require-await': 'off',
      // Off: it flags destructured kafkajs batch callbacks and our method-style `say(line)`/`evolve(view, event)`, none of which uses `this`.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    plugins: { eventfold: { rules: { 'relative-imports-stay-in-package': relativeImportsStayInPackage } } },
    rules: {
      'eventfold/relative-imports-stay-in-package': 'error',
      // A package is imported through its index; test helpers through its explicit `testing` entry.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@eventfold/[^/]+/(?!testing$)',
              message:
                "Import '@eventfold/<name>' (its src/index.ts), or its test helpers from '@eventfold/<name>/testing'",
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use Object.freeze({...} as const) instead of enums' },
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports' },
      ],
    },
  },
  {
    files: ['**/*.spec.ts'],
    // Off in tests: jest's asymmetric matchers (expect.any, objectContaining…), avsc's fromBuffer and kafkajs internals are typed any.
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Tool entry points whose loaders demand a default export.
    files: ['eslint.config.mjs', 'packages/testing/src/jest/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Plain JavaScript (tool configs, the CLI's bin shim) is in no tsconfig: linted without types.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The operator console: JavaScript modules the gateway serves to a browser as they are (no build).
    files: ['services/gateway/console/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'AbortController',
          'CSS',
          'TextDecoderStream',
          'URLSearchParams',
          'clearTimeout',
          'document',
          'fetch',
          'sessionStorage',
          'setTimeout',
          'window',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
);
