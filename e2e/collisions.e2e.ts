import { expect, test } from '@playwright/test';
import { apiPost, signedInPage } from './helpers.ts';

test('a duplicate phone shows the owner as it is typed; the collision request reaches the manager live and the decision comes back', async ({ browser, baseURL }) => {
  const owner = await signedInPage(browser, 'rep4@demo.local');
  const requester = await signedInPage(browser, 'rep5@demo.local');
  const manager = await signedInPage(browser, 'manager1@demo.local');

  // The owner enters a customer and keeps it.
  const mobile = `137${String(Date.now()).slice(-8)}`;
  const company = `济南鲁瑞液压设备${String(Date.now()).slice(-4)}有限公司`;
  const created = await apiPost(owner.context, baseURL!, '/api/leads', { company, mobile, assignToMe: true });
  expect(created.status).toBe(201);

  await manager.page.goto('/collisions');
  await requester.page.goto('/leads/new');
  // Typed another way: with a country code and spaces.
  await requester.page.locator('input[name=mobile]').fill(`+86 ${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`);
  const blocking = requester.page.getByRole('alert').filter({ hasText: company });
  await expect(blocking).toBeVisible();
  await expect(requester.page.getByRole('button', { name: /^(保存|Save)$/ })).toBeDisabled();

  await blocking.getByRole('button', { name: /撞单申诉|collision review/ }).click();
  await requester.page.getByRole('dialog').locator('textarea').fill('10月15日在广交会展位上交换过名片');
  await requester.page.getByRole('dialog').getByRole('button', { name: /提交申诉|Send request/ }).click();
  await expect(blocking.getByText(/已申诉|Review requested/)).toBeVisible();

  const request = manager.page.locator('li', { hasText: company });
  await expect(request).toBeVisible({ timeout: 2_000 });
  await expect(request).toContainText('10月15日在广交会展位上交换过名片');

  await requester.page.goto('/collisions');
  const mine = requester.page.locator('li', { hasText: company });
  await expect(mine).toBeVisible();
  await request.getByRole('button', { name: /转给申诉人|Transfer/ }).click();
  await manager.page.getByRole('dialog').locator('textarea').fill('客户确认先与申诉人联系');
  await manager.page.getByRole('dialog').getByRole('button', { name: /转给申诉人|Transfer/ }).click();
  // Decided: it leaves both open lists live, and the lead is the requester's now.
  await expect(mine).toHaveCount(0, { timeout: 2_000 });
  await expect(request).toHaveCount(0);
  await requester.page.locator('a[href="/mine"]').first().click();
  await expect(requester.page.getByText(company)).toBeVisible();

  for (const s of [owner, requester, manager]) await s.context.close();
});
