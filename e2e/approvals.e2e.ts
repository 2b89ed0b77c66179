import { expect, test } from '@playwright/test';
import { apiPost, signedInPage } from './helpers.ts';

test('approval round trip: a rep asks to quote a big lead, the team manager and then the director approve from their inbox live, the rep sees the lead move', async ({ browser, baseURL }) => {
  const rep = await signedInPage(browser, 'rep5@demo.local');
  const manager = await signedInPage(browser, 'manager1@demo.local');
  const director = await signedInPage(browser, 'admin@demo.local');
  const pool = (await (await rep.context.request.get('/api/pool')).json()) as { items: { id: number; company: string; expectedAmount: number | null }[] };
  const lead = pool.items.find((l) => l.expectedAmount === null)!;
  expect((await apiPost(rep.context, baseURL!, `/api/leads/${lead.id}/claim`)).status).toBe(200);

  // The approvers are already looking at their inboxes.
  await manager.page.goto('/approvals');
  await director.page.goto('/approvals');
  await expect(manager.page.getByText(/没有待你审批的申请|Nothing waiting/)).toBeVisible();

  await rep.page.goto(`/leads/${lead.id}`);
  await rep.page.getByTestId('stage-select').selectOption('quoted');
  await rep.page.getByLabel(/预计金额|Expected amount/).fill('880000');
  // Over the threshold: the move becomes a request to the chain.
  await expect(rep.page.getByTestId('approval-hint')).toContainText(/赵经理|团队经理|team's manager/);
  await rep.page.getByTestId('approval-comment').fill('客户要求本周拿到报价');
  await rep.page.getByRole('button', { name: /^(提交审批|Request approval)$/ }).click();
  await expect(rep.page.getByText(/已提交审批|Sent for approval/)).toBeVisible();

  // Step 1: the team manager sees it arrive without reloading, and approves.
  const asked = manager.page.locator('[data-testid="approval"]', { hasText: lead.company });
  await expect(asked).toBeVisible({ timeout: 2_000 });
  await expect(asked).toContainText('客户要求本周拿到报价');
  await asked.getByRole('textbox').fill('价格已核');
  await asked.getByTestId('approve').click();
  await expect(asked).toHaveCount(0);

  // Step 2: the director (the admin in the demo chain) gets it next, live.
  const next = director.page.locator('[data-testid="approval"]', { hasText: lead.company });
  await expect(next).toBeVisible({ timeout: 2_000 });
  await expect(next).toContainText('价格已核');
  await next.getByTestId('approve').click();

  // The rep's page follows: the lead is quoted, the timeline tells the story, the quote's SOP tasks are there.
  await expect(rep.page.locator('.titlebar .badge').first()).toHaveText(/已报价|Quoted/, { timeout: 2_000 });
  await expect(rep.page.getByText(/审批通过|Approved: it may enter/)).toBeVisible();
  await expect(rep.page.locator('[data-testid="approval"]').first()).toContainText(/已通过|Approved/);
  await expect(rep.page.getByTestId('lead-task')).toHaveCount(2);

  for (const c of [rep, manager, director]) await c.context.close();
});

test('winning a lead records the order: the manager watching sees the deal and its payment plan live', async ({ browser, baseURL }) => {
  const rep = await signedInPage(browser, 'rep6@demo.local');
  await rep.page.setViewportSize({ width: 390, height: 844 });
  const manager = await signedInPage(browser, 'manager1@demo.local');
  const pool = (await (await rep.context.request.get('/api/pool')).json()) as { items: { id: number; expectedAmount: number | null }[] };
  const leadId = pool.items.find((l) => l.expectedAmount === null)!.id;
  expect((await apiPost(rep.context, baseURL!, `/api/leads/${leadId}/claim`)).status).toBe(200);

  await rep.page.goto(`/leads/${leadId}`);
  await manager.page.goto(`/leads/${leadId}`);
  await rep.page.getByTestId('stage-select').selectOption('won');
  const deal = rep.page.getByTestId('deal-fields');
  await deal.getByTestId('deal-contract').fill('HT-E2E-0001');
  await deal.getByTestId('deal-item-name').fill('激光切割机');
  await deal.getByLabel(/数量|Qty/).fill('2');
  await deal.getByTestId('deal-item-price').fill('60000');
  await expect(deal.getByTestId('deal-total')).toContainText('120,000');
  await deal.getByRole('button', { name: /添加一期|Add an instalment/ }).click();
  await deal.getByTestId('deal-split').click();
  await rep.page.getByRole('button', { name: /^(改阶段|Move)$/ }).click();
  await expect(rep.page.getByText(/阶段已更新|Stage moved/)).toBeVisible();

  const card = manager.page.getByTestId('deal-card');
  await expect(card).toBeVisible({ timeout: 1_000 });
  await expect(card).toContainText('HT-E2E-0001');
  await expect(card).toContainText('激光切割机');
  await expect(card.getByTestId('instalment-paid')).toHaveCount(2);
  await expect(manager.page.getByText(/赢单签约|won it/)).toBeVisible();

  // The first instalment arrives: the rep ticks it, the manager sees it.
  await rep.page.getByTestId('deal-card').getByTestId('instalment-paid').first().check();
  await expect(card.getByTestId('instalment-paid').first()).toBeChecked({ timeout: 1_000 });

  await rep.context.close();
  await manager.context.close();
});
