import playwright from 'eslint-plugin-playwright';
import baseConfig from '../eslint.config.mjs';

export default [
  playwright.configs['flat/recommended'],
  ...baseConfig,
  {
    ignores: ['test-output/**'],
  },
  {
    files: ['**/*.ts', '**/*.js'],
    rules: {
      // These helpers in src/support/ assert what the user sees; a test that calls them asserts.
      'playwright/expect-expect': [
        'error',
        {
          assertFunctionNames: [
            'register',
            'logIn',
            'logOut',
            'expectProfileOf',
            'expectLoginRefused',
          ],
        },
      ],
    },
  },
];
