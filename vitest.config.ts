import { existsSync } from 'node:fs';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// The SvelteKit plugin lives in vite.config.ts (owned by the web app); projects that compile
// Svelte extend it. Until it exists, only the server-side projects run.
const hasWebConfig = existsSync('vite.config.ts');

/** The browser for component tests: CHROMIUM_PATH, the distribution's chromium, or Playwright's own. */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
}

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

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
    include: ['{core,api,realtime,db,jobs,test}/**/*.integration.spec.ts', '*.integration.spec.ts'],
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
        launchOptions: { executablePath: chromiumPath(), args: chromiumArgs },
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
