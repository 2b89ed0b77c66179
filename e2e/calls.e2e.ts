import { expect, test } from '@playwright/test';
import { apiPost, signedInPage } from './helpers.ts';

test('a rep on a call shows as on the line to the manager watching, who is warned before calling too; hanging up logs the outcome and clears the marker', async ({ browser, baseURL }) => {
  const rep = await signedInPage(browser, 'rep8@demo.local');
  const manager = await signedInPage(browser, 'manager1@demo.local');
  const pool = (await (await rep.context.request.get('/api/pool')).json()) as { items: { id: number }[] };
  const leadId = String(pool.items[0]!.id);
  expect((await apiPost(rep.context, baseURL!, `/api/leads/${leadId}/claim`)).status).toBe(200);
  const repName = ((await (await rep.context.request.get('/api/users/me')).json()) as { user: { name: string } }).user.name;

  await rep.page.goto(`/leads/${leadId}`);
  await manager.page.goto(`/leads/${leadId}`);
  await rep.page.getByRole('button', { name: /^(打电话|Call)$/ }).click();
  await expect(rep.page.getByText(/通话中 0:0\d|On the line 0:0\d/)).toBeVisible();
  await expect(manager.page.getByTestId('on-call')).toHaveText(new RegExp(`${repName} (通话中|on a call)`), { timeout: 1_000 });

  // The manager pressing Call is told who is on the line first.
  await manager.page.getByRole('button', { name: /^(打电话|Call)$/ }).click();
  await expect(manager.page.getByRole('alert')).toContainText(repName);
  await manager.page.getByRole('button', { name: /^(取消|Cancel)$/ }).click();

  await rep.page.getByRole('button', { name: /挂断|Hang up/ }).click();
  await rep.page.getByText(/^(已接通|Connected)$/).click();
  await rep.page.getByLabel(/通话记录|Notes/).fill('客户要两台折弯机的报价');
  await rep.page.getByRole('button', { name: /保存通话|Log the call/ }).click();
  await expect(manager.page.getByTestId('on-call')).toHaveCount(0, { timeout: 1_000 });
  await expect(manager.page.getByText('客户要两台折弯机的报价')).toBeVisible();

  await rep.context.close();
  await manager.context.close();
});
