import { expect, test } from '@playwright/test';
import { apiPost, signedInPage } from './helpers.ts';

test('who else has the lead open shows on its page, live, and clears when they leave', async ({ browser, baseURL }) => {
  const rep = await signedInPage(browser, 'rep7@demo.local');
  const manager = await signedInPage(browser, 'manager1@demo.local');
  const pool = (await (await rep.context.request.get('/api/pool')).json()) as { items: { id: number }[] };
  const leadId = String(pool.items[0]!.id);
  expect((await apiPost(rep.context, baseURL!, `/api/leads/${leadId}/claim`)).status).toBe(200);
  const repName = ((await (await rep.context.request.get('/api/users/me')).json()) as { user: { name: string } }).user.name;
  const managerName = ((await (await manager.context.request.get('/api/users/me')).json()) as { user: { name: string } }).user.name;

  await manager.page.goto(`/leads/${leadId}`);
  await expect(manager.page.locator('h1')).toBeVisible();
  await expect(manager.page.getByTestId('presence')).toHaveCount(0);
  await rep.page.goto(`/leads/${leadId}`);
  await expect(manager.page.getByTestId('presence')).toHaveText(new RegExp(`${repName} (正在查看|is viewing)`), { timeout: 1_000 });
  await expect(rep.page.getByTestId('presence')).toHaveText(new RegExp(`${managerName} (正在查看|is viewing)`));

  // Leaving in the app (a link) says so at once; a closed tab or a full reload is noticed when its connection drops.
  await rep.page.getByRole('link', { name: /^(公海池|Pool)$/ }).first().click();
  await expect(manager.page.getByTestId('presence')).toHaveCount(0, { timeout: 1_000 });
  await rep.page.goto(`/leads/${leadId}`);
  await expect(manager.page.getByTestId('presence')).toHaveCount(1, { timeout: 1_000 });
  await rep.context.close();
  await expect(manager.page.getByTestId('presence')).toHaveCount(0, { timeout: 5_000 });
  await manager.context.close();
});
