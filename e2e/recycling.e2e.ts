import { expect, test } from '@playwright/test';
import { apiPost, signedInPage } from './helpers.ts';

test('a follow-up restarts the recycling countdown and plans the next one, and the team manager watching the lead sees it live', async ({ browser, baseURL }) => {
  const rep = await signedInPage(browser, 'rep3@demo.local');
  const manager = await signedInPage(browser, 'manager1@demo.local');
  // One the pool's big-deal exemption (open deals from 1,000,000) does not cover.
  const pool = (await (await rep.context.request.get('/api/pool')).json()) as { items: { id: number; expectedAmount: number | null }[] };
  const leadId = String(pool.items.find((l) => (l.expectedAmount ?? 0) < 1_000_000)!.id);
  expect((await apiPost(rep.context, baseURL!, `/api/leads/${leadId}/claim`)).status).toBe(200);

  await rep.page.goto(`/leads/${leadId}`);
  await manager.page.goto(`/leads/${leadId}`);
  // The demo's company pool recycles a lead 48 h after its claim unless it is followed up.
  const countdown = rep.page.getByTestId('recycle-countdown').first();
  // (The page's clock ticks every 30 s, so it may still read a whole 48 h.)
  await expect(countdown).toContainText(/回收倒计时 (1 天 23|2 天 0) 小时|Recycles in (1 d 23|2 d 0) h/);

  await rep.page.getByText(/^(微信|WeChat)$/).click();
  await expect(rep.page.getByRole('radio', { name: /微信|WeChat/ })).toBeChecked();
  await rep.page.getByLabel(/跟进内容|What was said/).fill('加了微信，发了产品手册');
  // The next call planned for tomorrow 10:00: its owner will be reminded then.
  const tomorrow = new Date(Date.now() + 24 * 3_600_000);
  const local = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}T10:00`;
  await rep.page.getByLabel(/下次跟进时间|Next follow-up/).fill(local);
  await rep.page.getByRole('button', { name: /保存跟进|Save follow-up/ }).click();
  // Then the 15-day idle rule is the next to come due.
  await expect(countdown).toContainText(/回收倒计时 (14 天 23|15 天 0) 小时|Recycles in (14 d 23|15 d 0) h/);
  await expect(manager.page.getByText('加了微信，发了产品手册')).toBeVisible({ timeout: 1_000 });
  await expect(manager.page.getByTestId('recycle-countdown').first()).toContainText(/(14 天 23|15 天 0) 小时|(14 d 23|15 d 0) h/);
  for (const page of [rep.page, manager.page]) await expect(page.getByTestId('next-follow-up')).toContainText(/(下次跟进|Next follow-up) .*10:00|10:00 AM/);

  await rep.context.close();
  await manager.context.close();
});
