import { expect, test } from '@playwright/test';
import { apiPost, signedInPage } from './helpers.ts';

test('the dashboard ranks today live: a rep’s call moves the manager’s leaderboard within a second; the rep sees their own rank', async ({ browser, baseURL }) => {
  const manager = await signedInPage(browser, 'manager1@demo.local');
  const rep = await signedInPage(browser, 'rep7@demo.local');
  const me = (await (await rep.context.request.get('/api/users/me')).json()) as { user: { name: string } };

  await manager.page.goto('/dashboard');
  const row = manager.page.getByTestId('leaderboard').locator('li', { hasText: me.user.name });
  await expect(row).toContainText(/\b0$/);

  const pool = (await (await rep.context.request.get('/api/pool')).json()) as { items: { id: number }[] };
  const leadId = pool.items[0]!.id;
  expect((await apiPost(rep.context, baseURL!, `/api/leads/${leadId}/claim`)).status).toBe(200);
  const started = await apiPost(rep.context, baseURL!, `/api/leads/${leadId}/calls`, {});
  expect((await apiPost(rep.context, baseURL!, `/api/calls/${started.body.call.id}/end`, { outcome: 'connected' })).status).toBe(200);

  // Counted and shown live, without a reload.
  await expect(row).toContainText(/\b1$/, { timeout: 1_500 });
  // The activity table's row of today counts the call (its fourth column: calls).
  const mine = manager.page.getByTestId('activity-row').filter({ hasText: me.user.name });
  await expect(mine.locator('td:nth-child(4)').filter({ hasText: /^1$/ })).toHaveCount(1);

  await rep.page.goto('/dashboard');
  await expect(rep.page.getByTestId('my-rank')).toContainText(/第 \d+ \/ \d+|#\d+ of \d+/);
  await expect(rep.page.getByTestId('leaderboard')).toHaveCount(0);
  await expect(rep.page.getByTestId('my-tasks')).toBeVisible();

  await manager.context.close();
  await rep.context.close();
});
