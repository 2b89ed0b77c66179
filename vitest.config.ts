import { existsSync } from 'node:fs';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { chromiumArgs, findChromium } from './test/chromium.ts';

// The SvelteKit plugin lives in vite.config.ts (owned by the web app); projects that compile
// Svelte extend it. Until it exists, only the server-side projects run.
const hasWebConfig = existsSync('vite.config.ts');

const ignored = ['**/node_modules/**', 'build/**', '.svelte-kit/**', 'e2e/**', 'bench/**'];

const unit: TestProjectInlineConfiguration = {
  extends: hasWebConfig ? './vite.config.ts' : false,
  test: {
    name: 'unit',
    environment: 'node',
    include: ['{core,api,realtime,db,jobs,scripts,test}/**/*.spec.ts', 'web/src/**/*.spec.ts', '*.spec.ts'],
    exclude: [...ignored, '**/*.integration.spec.ts', '**/*.component.spec.ts'],
  },
};

const integration: TestProjectInlineConfiguration = {
  extends: false,
  test: {
    name: 'integration',
    environment: 'node',
    include: ['{core,api,realtime,db,jobs,test}/**/*.integration.spec.ts', 'web/src/**/*.integration.spec.ts', '*.integration.spec.ts'],
    exclude: ignored,
    // Each file starts real servers on fresh databases: give them room, but keep the 2 cores busy.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
};

const component: TestProjectInlineConfiguration = {
  extends: './vite.config.ts',
  test: {
    name: 'component',
    include: ['web/src/**/*.component.spec.ts'],
    exclude: ignored,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: { executablePath: findChromium(), args: chromiumArgs },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
};

export default defineConfig({
  test: {
    projects: [unit, integration, ...(hasWebConfig ? [component] : [])],
  },
});
