import { expect, test } from '@playwright/test';
import { apiPost, poolIds, poolRow, signedInPage } from './helpers.ts';

test('a claim vanishes from the other rep’s pool within a second and lands in My leads', async ({ browser }) => {
  const rep1 = await signedInPage(browser, 'rep1@demo.local');
  const rep2 = await signedInPage(browser, 'rep2@demo.local');

  const first = rep1.page.getByTestId('pool-row').first();
  const leadId = (await first.getAttribute('data-lead-id'))!;
  await expect(poolRow(rep2.page, leadId)).toBeVisible();

  await first.getByRole('button', { name: /^(领取|Claim)$/ }).click();
  const clickedAt = Date.now();
  await expect(poolRow(rep2.page, leadId)).toHaveCount(0, { timeout: 1_000 });
  expect(Date.now() - clickedAt).toBeLessThan(1_000);
  await expect(poolRow(rep1.page, leadId)).toHaveCount(0);

  await rep1.page.locator('a[href="/mine"]').first().click();
  await expect(rep1.page).toHaveURL(/\/mine$/);
  await expect(rep1.page.locator(`[data-testid="my-lead-row"][data-lead-id="${leadId}"]`)).toBeVisible();

  await rep1.context.close();
  await rep2.context.close();
});

test('the loser of a race gets 409 and a toast naming who took the lead', async ({ browser, baseURL }) => {
  const rep1 = await signedInPage(browser, 'rep1@demo.local');
  const rep2 = await signedInPage(browser, 'rep2@demo.local');
  const row = rep2.page.getByTestId('pool-row').first();
  const leadId = (await row.getAttribute('data-lead-id'))!;
  const winnerName = (await (await rep1.context.request.get('/api/users/me')).json()).user.name as string;

  // rep1 gets there first while rep2's claim is on the wire.
  await rep2.page.route('**/api/leads/*/claim', async (route) => {
    const won = await apiPost(rep1.context, baseURL!, `/api/leads/${leadId}/claim`);
    expect(won.status).toBe(200);
    await route.continue();
  });
  await row.getByRole('button', { name: /^(领取|Claim)$/ }).click();

  await expect(rep2.page.getByRole('status').filter({ hasText: winnerName })).toBeVisible();
  await expect(rep2.page.getByRole('status').filter({ hasText: winnerName })).toContainText(/领取|claimed/i);
  await expect(poolRow(rep2.page, leadId)).toHaveCount(0);

  // The same claim through the API: 409 with the stable code and the winner's name.
  const again = await apiPost(rep2.context, baseURL!, `/api/leads/${leadId}/claim`);
  expect(again.status).toBe(409);
  expect(again.body.error).toMatchObject({ code: 'pool.already_claimed', details: { ownerName: winnerName } });

  await rep1.context.close();
  await rep2.context.close();
});

test('switches the language to English and back, and remembers it', async ({ browser }) => {
  const { context, page } = await signedInPage(browser, 'rep3@demo.local');
  const claim = page.getByTestId('pool-row').first().getByRole('button');
  await expect(claim).toHaveText('领取');

  await page.getByTestId('lang-switch').click();
  await expect(claim).toHaveText('Claim');
  await expect(page.locator('a[href="/mine"]').first()).toHaveText(/\S/);
  await page.reload();
  await expect(page.getByTestId('pool-row').first().getByRole('button')).toHaveText('Claim');

  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('pool-row').first().getByRole('button')).toHaveText('领取');
  await context.close();
});

test('shows the connection banner while offline, then catches up to what a fresh load shows', async ({ browser, baseURL }) => {
  const rep4 = await signedInPage(browser, 'rep4@demo.local');
  const rep5 = await signedInPage(browser, 'rep5@demo.local');
  const banner = rep4.page.getByTestId('connection-banner');
  await expect(banner).toHaveCount(0);

  await rep4.context.setOffline(true);
  await expect(banner).toBeVisible({ timeout: 15_000 });

  // While rep4 is away: rep5 claims the top lead and a new lead arrives.
  const taken = (await poolIds(rep4.page))[0]!;
  expect((await apiPost(rep5.context, baseURL!, `/api/leads/${taken}/claim`)).status).toBe(200);
  const created = await apiPost(rep5.context, baseURL!, '/api/leads', { company: '离线期间新建有限公司', mobile: '13912345670', province: '山东' });
  expect(created.status).toBe(201);
  await expect(poolRow(rep4.page, taken)).toBeVisible();

  await rep4.context.setOffline(false);
  await expect(banner).toHaveCount(0, { timeout: 20_000 });
  await expect(poolRow(rep4.page, taken)).toHaveCount(0);
  await expect(poolRow(rep4.page, String(created.body.lead.id))).toBeVisible();

  const fresh = await rep4.context.newPage();
  await fresh.goto('/pool');
  await expect(fresh.getByTestId('pool-row').first()).toBeVisible();
  expect(await poolIds(rep4.page)).toEqual(await poolIds(fresh));
  await expect(rep4.page.getByTestId('pool-total')).toHaveText((await fresh.getByTestId('pool-total').textContent())!);

  await rep4.context.close();
  await rep5.context.close();
});
