import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'oclif.manifest.json', '.emr-audit-tmp/**', 'dist-bench/**', '.stryker-tmp/**', 'reports/**']},
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
    // Rules and the planner are pure: they must never reach AWS.
    files: ['src/rules/**/*.ts', 'src/policy/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {patterns: [{group: ['@aws-sdk/*'], message: 'rules and policy code are pure; AWS I/O belongs in src/scanners'}]}],
    },
  },
  {
    files: ['bin/*.js', 'scripts/**/*.js', 'test/**/*.js'],
    languageOptions: {globals: {process: 'readonly', console: 'readonly', URL: 'readonly'}},
  },
)
