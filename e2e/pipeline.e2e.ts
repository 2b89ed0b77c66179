import { expect, test } from '@playwright/test';
import { apiPost, signedInPage } from './helpers.ts';

test('a rep drags a card to the next stage on the pipeline board; the team manager\'s board moves it live', async ({ browser, baseURL }) => {
  const rep = await signedInPage(browser, 'rep6@demo.local');
  const manager = await signedInPage(browser, 'manager1@demo.local');
  const pool = (await (await rep.context.request.get('/api/pool')).json()) as { items: { id: number }[] };
  const leadId = String(pool.items[0]!.id);
  expect((await apiPost(rep.context, baseURL!, `/api/leads/${leadId}/claim`)).status).toBe(200);

  await rep.page.goto('/pipeline');
  await manager.page.goto('/pipeline');
  await manager.page.getByText(/^(我的团队|My team)$/).click();
  const card = (page: typeof rep.page) => page.locator(`[data-testid="pipeline-card"][data-lead-id="${leadId}"]`);
  const column = (page: typeof rep.page, stage: string) => page.locator(`section.column[data-stage="${stage}"]`);
  await expect(column(manager.page, 'new').locator(card(manager.page))).toBeVisible();

  await card(rep.page).dragTo(column(rep.page, 'contacted'));
  await expect(column(rep.page, 'contacted').locator(card(rep.page))).toBeVisible();
  await expect(column(manager.page, 'contacted').locator(card(manager.page))).toBeVisible({ timeout: 1_000 });
  await expect(column(manager.page, 'new').locator(card(manager.page))).toHaveCount(0);

  await rep.context.close();
  await manager.context.close();
});
