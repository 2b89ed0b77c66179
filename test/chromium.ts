/** Where the tests find a Chromium: CHROMIUM_PATH, the distribution's package, or Playwright's own download. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

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

export const chromiumHelp =
  'No Chromium found. Install one with `apt-get install -y chromium fonts-noto-cjk` (Debian/Ubuntu), ' +
  'or `npx playwright install chromium`, or point CHROMIUM_PATH at a Chromium or Chrome binary.';

/** The first Chromium that exists, or undefined. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const system = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
  if (system) return system;
  try {
    const { chromium } = createRequire(import.meta.url)('playwright-core') as typeof import('playwright-core');
    const own = chromium.executablePath();
    return own && existsSync(own) ? own : undefined;
  } catch {
    return undefined;
  }
}
