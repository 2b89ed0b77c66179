import { expect, test } from '@playwright/test';
import { apiPost, signedInPage } from './helpers.ts';

test('the dashboard ranks today live: a rep’s call moves the manager’s leaderboard within a second; the rep sees their own rank', async ({ browser, baseURL }) => {
  const manager = await signedInPage(browser, 'manager1@demo.local');
  const rep = await signedInPage(browser, 'rep7@demo.local');
  const me = (await (await rep.context.request.get('/api/users/me')).json()) as { user: { name: string } };

  await manager.page.goto('/dashboard');
  // The demo's reps have called since this morning: the call adds one to what the rep's row shows.
  const count = manager.page.getByTestId('leaderboard').locator('li', { hasText: me.user.name }).locator('.value');
  await expect(count).toHaveText(/^\d+$/);
  const before = Number(await count.textContent());

  const pool = (await (await rep.context.request.get('/api/pool')).json()) as { items: { id: number }[] };
  const leadId = pool.items[0]!.id;
  expect((await apiPost(rep.context, baseURL!, `/api/leads/${leadId}/claim`)).status).toBe(200);
  const started = await apiPost(rep.context, baseURL!, `/api/leads/${leadId}/calls`, {});
  expect((await apiPost(rep.context, baseURL!, `/api/calls/${started.body.call.id}/end`, { outcome: 'connected' })).status).toBe(200);

  // Counted and shown live, without a reload.
  await expect(count).toHaveText(String(before + 1), { timeout: 1_500 });
  // The activity table's row of today counts the call (its fourth column: calls).
  const today = new Date().toLocaleDateString('sv', { timeZone: 'Asia/Shanghai' });
  const mine = manager.page.getByTestId('activity-row').filter({ hasText: me.user.name }).filter({ hasText: today });
  await expect(mine.locator('td:nth-child(4)')).toHaveText(String(before + 1));

  await rep.page.goto('/dashboard');
  await expect(rep.page.getByTestId('my-rank')).toContainText(/第 \d+ \/ \d+|#\d+ of \d+/);
  await expect(rep.page.getByTestId('leaderboard')).toHaveCount(0);
  await expect(rep.page.getByTestId('my-tasks')).toBeVisible();

  await manager.context.close();
  await rep.context.close();
});

test('the funnel moves live as a rep advances a lead; every dashboard section in zh-CN and en, on a desktop and a phone', async ({ browser, baseURL }, testInfo) => {
  const manager = await signedInPage(browser, 'manager1@demo.local');
  const rep = await signedInPage(browser, 'rep7@demo.local');
  await manager.page.setViewportSize({ width: 1440, height: 1000 });
  await manager.page.goto('/dashboard');
  // The funnel's figures, as its table for screen readers lists them: stage, reached, now, conversion.
  const reached = (stage: RegExp) => manager.page.getByTestId('funnel').locator('tr', { hasText: stage }).locator('td:nth-child(2)');
  await expect(reached(/初步沟通/)).toHaveText(/^\d+$/);
  const before = Number(await reached(/初步沟通/).textContent());

  // A new lead (today, in the period) taken and moved on by a rep of the manager's team.
  const created = await apiPost(rep.context, baseURL!, '/api/leads', { company: `漏斗测试${Date.now()}有限公司`, contactName: '周洁', mobile: `139${String(Date.now()).slice(-8)}` });
  expect(created.status).toBe(201);
  const leadId = created.body.lead.id as number;
  if (created.body.lead.ownerId === null) expect((await apiPost(rep.context, baseURL!, `/api/leads/${leadId}/claim`)).status).toBe(200);
  expect((await apiPost(rep.context, baseURL!, `/api/leads/${leadId}/stage`, { stage: 'contacted' })).status).toBe(200);
  await expect(reached(/初步沟通/)).toHaveText(String(before + 1), { timeout: 1_500 });

  const save = async (page: typeof manager.page, name: string) => {
    const path = testInfo.outputPath(`${name}.png`);
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach(name, { path, contentType: 'image/png' });
  };
  await expect(manager.page.getByTestId('exhibition-board')).toBeVisible();
  await expect(manager.page.getByTestId('leads-at-risk')).toBeVisible();
  await save(manager.page, 'dashboard-manager-zh-CN');
  await rep.page.setViewportSize({ width: 390, height: 844 });
  await rep.page.goto('/dashboard');
  await expect(rep.page.getByTestId('funnel')).toBeVisible();
  await expect(rep.page.getByTestId('exhibition-board')).toHaveCount(0);
  await save(rep.page, 'dashboard-rep-phone-zh-CN');

  for (const { page } of [manager, rep]) {
    await page.evaluate(() => localStorage.setItem('leadpool.locale', 'en'));
    await page.reload();
    await expect(page.getByRole('heading', { name: /Sales funnel|My funnel/ })).toBeVisible();
    await expect(page.getByTestId('funnel').locator('figcaption')).toContainText('leads in the period');
  }
  await save(manager.page, 'dashboard-manager-en');
  await save(rep.page, 'dashboard-rep-phone-en');

  await manager.context.close();
  await rep.context.close();
});
