import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/**
 * The layers of src/, bottom up: each folder and the folders it may import values from. A folder may import
 * only folders listed before it here, so no two folders can import each other. src/index.ts (the package's
 * public API) may import any of them.
 */
const LAYERS = [
  ['shared', []],
  ['inventory', ['shared']],
  ['policy', ['shared', 'inventory']],
  ['findings', ['shared', 'inventory', 'policy']],
  ['config', ['shared', 'inventory', 'policy', 'findings']],
  ['aws', ['shared', 'inventory']],
  ['scanners', ['shared', 'inventory', 'policy', 'findings', 'config', 'aws']],
  ['rules', ['shared', 'inventory', 'policy', 'findings', 'config']],
  // A launch request laid over the inventory, and the launch-only checks: pure, like rules.
  ['preflight', ['shared', 'inventory', 'policy', 'findings', 'config', 'rules']],
  ['fix', ['shared', 'inventory', 'policy', 'findings', 'config', 'aws', 'scanners', 'rules']],
  ['report', ['shared', 'inventory', 'policy', 'findings', 'config', 'aws', 'scanners', 'rules', 'preflight', 'fix']],
  // Sends a report's findings to AWS Security Hub: AWS I/O at the edge, like the fix executor.
  ['publish', ['shared', 'inventory', 'findings', 'aws', 'rules', 'report']],
  ['app', ['shared', 'inventory', 'policy', 'findings', 'config', 'aws', 'scanners', 'rules', 'preflight', 'fix', 'report', 'publish']],
  // Commands parse flags, call app and render: below app they may name types, but call only these.
  ['cli', ['shared', 'findings', 'config', 'report', 'app']],
  ['commands', ['shared', 'findings', 'config', 'report', 'app', 'cli']],
]

/** Folders whose code must never reach AWS, even through a library. */
const PURE = new Set(['rules', 'policy', 'preflight'])
// Scanners take SDK packages from src/aws/sdk.ts (sdk.iam()…): loaded with require() on first use, IAM's
// first, a scan's requests start before every package is in. A value import would load it at start-up.
const SDK_THROUGH_LOADER = new Set(['scanners'])

const FOLDERS = LAYERS.map(([folder]) => folder)
const TYPES_FROM_BELOW = new Set(['cli', 'commands'])
// Files up to this many folders below src/<layer>/ are covered; a deeper file would escape the check.
const MAX_DEPTH = 4

function layerRules(folder, allowed, depth) {
  const below = FOLDERS.slice(0, FOLDERS.indexOf(folder))
  const above = FOLDERS.filter((other) => other !== folder && !below.includes(other))
  const belowButNotCalled = below.filter((other) => !allowed.includes(other))
  // An import path is relative: from src/<layer>/<depth folders>/x.ts, another layer is exactly depth+1 `../` away.
  const into = (folders) => `^(\\./)?(\\.\\./){${depth + 1}}(${folders.join('|')})(/|$)`
  const patterns = [
    ...(above.length > 0
      ? [{regex: into(above), message: `src/${folder} may not import from ${above.join(', ')}: they are not below it (layers in eslint.config.js)`}]
      : []),
    ...(belowButNotCalled.length > 0
      ? [
          TYPES_FROM_BELOW.has(folder)
            ? {
                regex: into(belowButNotCalled),
                allowTypeImports: true,
                message: `src/${folder} calls only ${allowed.join(', ')}; from ${belowButNotCalled.join(', ')} it may import types (\`import type\`), the rest goes through app`,
              }
            : {regex: into(belowButNotCalled), message: `src/${folder} may import only from ${allowed.join(', ')}`},
        ]
      : []),
    ...(PURE.has(folder) ? [{group: ['@aws-sdk/*'], message: 'rules and policy code are pure; AWS I/O belongs in src/scanners'}] : []),
    ...(SDK_THROUGH_LOADER.has(folder)
      ? [
          {
            // Organizations is loaded only for --organization, by a dynamic import of accounts.ts.
            group: ['@aws-sdk/client-*', '!@aws-sdk/client-organizations'],
            allowTypeImports: true,
            message: 'scanners take SDK commands from src/aws/sdk.ts (sdk.ec2()…), loaded when first used; import only types here',
          },
        ]
      : []),
  ]
  return {
    files: [`src/${folder}/${'*/'.repeat(depth)}*.ts`],
    // Tests may build their inputs with the layers above (a fix test gets its findings from the real analysis).
    ignores: ['src/**/*.test.ts'],
    rules: {'@typescript-eslint/no-restricted-imports': ['error', {patterns}]},
  }
}

const layerConfigs = LAYERS.flatMap(([folder, allowed]) => Array.from({length: MAX_DEPTH + 1}, (_, depth) => layerRules(folder, allowed, depth)))

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'oclif.manifest.json',
      '.emr-audit-tmp/**',
      'dist-bench/**',
      'test/fixtures/layers/**',
      '.stryker-tmp/**',
      'reports/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      'no-restricted-imports': 'off',
    },
  },
  {
    // Rules and policy are pure even in their tests: they must never reach AWS.
    files: ['src/rules/**/*.test.ts', 'src/policy/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {patterns: [{group: ['@aws-sdk/*'], message: 'rules and policy code are pure; AWS I/O belongs in src/scanners'}]},
      ],
    },
  },
  ...layerConfigs,
  {
    files: ['bin/*.js', 'scripts/**/*.js', 'test/**/*.js'],
    languageOptions: {globals: {process: 'readonly', console: 'readonly', URL: 'readonly'}},
  },
)
