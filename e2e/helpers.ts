import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

export const password = 'demo1234';

/** A fresh browser context signed in through the sign-in form, on /pool. */
export async function signedInPage(browser: Browser, email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/signin');
  await page.getByLabel(/邮箱|Email/).fill(email);
  await page.getByLabel(/密码|Password/).fill(password);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await expect(page).toHaveURL(/\/pool$/);
  await expect(page.getByTestId('pool-row').first()).toBeVisible();
  return { context, page };
}

export const poolRow = (page: Page, leadId: string) => page.locator(`[data-testid="pool-row"][data-lead-id="${leadId}"]`);

/** The lead ids the pool page shows, top to bottom. */
export async function poolIds(page: Page): Promise<string[]> {
  return page.getByTestId('pool-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-lead-id') ?? ''));
}

/** POST through the context's own session (same cookie as the page), as the web app would. */
export async function apiPost(context: BrowserContext, baseURL: string, path: string, data: unknown = {}) {
  const res = await context.request.post(path, { data, headers: { origin: baseURL } });
  return { status: res.status(), body: await res.json() };
}
