import { expect, test } from '@playwright/test';
import { apiPost, signedInPage } from './helpers.ts';

test('a rep moves a lead to quoted with its amount on a phone, and the team manager watching the lead sees it live', async ({ browser, baseURL }) => {
  const rep = await signedInPage(browser, 'rep4@demo.local');
  await rep.page.setViewportSize({ width: 390, height: 844 });
  const manager = await signedInPage(browser, 'manager1@demo.local');
  const pool = (await (await rep.context.request.get('/api/pool')).json()) as { items: { id: number; expectedAmount: number | null }[] };
  const leadId = String(pool.items.find((l) => l.expectedAmount === null)!.id);
  expect((await apiPost(rep.context, baseURL!, `/api/leads/${leadId}/claim`)).status).toBe(200);

  await rep.page.goto(`/leads/${leadId}`);
  await manager.page.goto(`/leads/${leadId}`);
  await rep.page.getByTestId('stage-select').selectOption('quoted');
  // Quoted needs an amount the lead does not have yet: the form asks for it.
  await rep.page.getByLabel(/预计金额|Expected amount/).fill('380000');
  await rep.page.getByRole('button', { name: /^(改阶段|Move)$/ }).click();
  await expect(rep.page.getByText(/阶段已更新|Stage moved/)).toBeVisible();
  await expect(manager.page.getByText(/把阶段从「新线索」改为「已报价」|moved the stage from “New” to “Quoted”/)).toBeVisible({ timeout: 1_000 });
  await expect(manager.page.locator('.titlebar .badge').first()).toHaveText(/已报价|Quoted/);

  await rep.context.close();
  await manager.context.close();
});
