import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { apiPost, password, signedInPage } from './helpers.ts';

const scenes = ['leaderboard', 'funnel', 'pool', 'wins', 'exhibitions'] as const;
const tvViewport = { width: 1920, height: 1080 };

/** A signed-in API-only context (no page needed) for a demo user. */
async function apiUser(browser: Browser, baseURL: string, email: string) {
  const context = await browser.newContext({ baseURL });
  const res = await context.request.post('/api/auth/sign-in/email', { data: { email, password }, headers: { origin: baseURL } });
  expect(res.status()).toBe(200);
  return { context, user: ((await res.json()) as { user: { id: string; name: string } }).user };
}

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test('an admin sets up a wall screen; the TV shows the leaderboard live, celebrates a win, and rides out a lost network', async ({ browser, baseURL }, testInfo) => {
  test.setTimeout(180_000);
  const admin = await signedInPage(browser, 'admin@demo.local');
  await admin.page.goto('/admin/wall');
  await admin.page.getByRole('button', { name: /新建大屏/ }).click();
  const editor = admin.page.getByTestId('wall-editor');
  await editor.locator('input[name=name]').fill('销售大厅 E2E');
  await editor.locator('input[name=seconds]').fill('600');
  await editor.getByRole('button', { name: '保存' }).click();
  const row = admin.page.getByTestId('wall-screen-row').filter({ hasText: '销售大厅 E2E' });
  await expect(row).toContainText('未配对');
  await shoot(admin.page, testInfo, 'admin-wall-zh-CN');

  await row.getByRole('button', { name: '获取链接' }).click();
  const url = await admin.page.getByTestId('wall-url').inputValue();
  expect(url).toMatch(/\/wall\/screen#[\w-]{40,}$/);
  await admin.page.getByTestId('wall-secret').getByRole('button', { name: '关闭' }).click();
  const screenId = ((await (await admin.context.request.get('/api/wall-screens')).json()) as { items: { id: string; name: string }[] }).items.find((s) => s.name === '销售大厅 E2E')!.id;

  // The TV: a bare page at 1920×1080, no sign-in.
  const tvContext = await browser.newContext({ viewport: tvViewport });
  const tv = await tvContext.newPage();
  await tv.goto(url.replace(/^https?:\/\/[^/]+/, ''));
  await expect(tv.getByTestId('wall-screen')).toHaveAttribute('data-scene', 'leaderboard');
  await expect(tv.getByTestId('wall-scene-title')).toHaveText('今日排行榜');

  // A rep's calls take them to the top, live (the demo's reps have called today already: one more than the leader).
  const rep = await apiUser(browser, baseURL!, 'rep9@demo.local');
  const repRow = tv.locator(`[data-testid=wall-row][data-user="${rep.user.id}"]`);
  const firstRow = tv.getByTestId('wall-row').first();
  await expect(firstRow).not.toHaveAttribute('data-user', rep.user.id);
  const top = Number(await firstRow.locator('.value').textContent());
  const own = ((await (await rep.context.request.get('/api/dashboard/leaderboard?metric=calls')).json()) as { leaderboard: { rows: { calls: number }[] } }).leaderboard.rows[0]!.calls;
  const pool = (await (await rep.context.request.get('/api/pool')).json()) as { items: { id: number; company: string }[] };
  const lead = pool.items[0]!;
  expect((await apiPost(rep.context, baseURL!, `/api/leads/${lead.id}/claim`)).status).toBe(200);
  for (let i = own; i <= top; i++) {
    const started = await apiPost(rep.context, baseURL!, `/api/leads/${lead.id}/calls`, {});
    expect((await apiPost(rep.context, baseURL!, `/api/calls/${started.body.call.id}/end`, { outcome: 'connected' })).status).toBe(200);
  }
  await expect(firstRow).toHaveAttribute('data-user', rep.user.id, { timeout: 2_000 });
  await expect(repRow).toContainText(rep.user.name);
  await expect(repRow.locator('.value')).toHaveText(String(top + 1));

  // A won deal interrupts with the rep, the amount, and then the scene comes back.
  const deal = {
    contractNo: `HT-E2E-${Date.now()}`,
    signedOn: '2026-11-20',
    items: [{ name: '数控机床', quantity: 1, unitPrice: 168_000 }],
    instalments: [{ dueOn: '2026-11-30', amount: 168_000, paid: true }],
  };
  expect((await apiPost(rep.context, baseURL!, `/api/leads/${lead.id}/stage`, { stage: 'won', deal })).status).toBe(200);
  const celebration = tv.getByTestId('wall-celebration');
  await expect(celebration).toBeVisible({ timeout: 2_000 });
  await expect(celebration).toContainText(rep.user.name);
  await expect(celebration).toContainText('¥168,000');
  // Past its entrance animation.
  await tv.waitForTimeout(900);
  await shoot(tv, testInfo, 'wall-celebration-zh-CN');
  await expect(celebration).toBeHidden({ timeout: 10_000 });
  await expect(tv.getByTestId('wall-screen')).toHaveAttribute('data-scene', 'leaderboard');

  // The network drops: "reconnecting"; a call made meanwhile is caught up on return.
  await tvContext.setOffline(true);
  await expect(tv.getByTestId('wall-reconnecting')).toBeVisible({ timeout: 10_000 });
  await expect(tv.getByTestId('wall-reconnecting')).toHaveText(/重新连接中/);
  await shoot(tv, testInfo, 'wall-reconnecting-zh-CN');
  const third = await apiPost(rep.context, baseURL!, `/api/leads/${lead.id}/calls`, {});
  expect((await apiPost(rep.context, baseURL!, `/api/calls/${third.body.call.id}/end`, { outcome: 'no_answer' })).status).toBe(200);
  await tvContext.setOffline(false);
  await expect(tv.getByTestId('wall-reconnecting')).toBeHidden({ timeout: 15_000 });
  await expect(repRow.locator('.value')).toHaveText(String(top + 2));

  // Each scene, in both languages, for the eye.
  for (const lang of ['zh-CN', 'en'] as const) {
    await tv.goto(`/wall/screen?lang=${lang}${new URL(url).hash}`);
    for (const scene of scenes) {
      const put = await admin.context.request.put(`/api/wall-screens/${screenId}`, {
        data: { name: '销售大厅 E2E', teamId: null, scenes: [scene], metric: 'calls', rotateSeconds: 600 },
        headers: { origin: baseURL! },
      });
      expect(put.status()).toBe(200);
      await expect(tv.getByTestId('wall-screen')).toHaveAttribute('data-scene', scene);
      await expect(tv.getByTestId(`wall-${scene}`)).toBeVisible();
      // Let bars and rows settle before the picture.
      await tv.waitForTimeout(900);
      await shoot(tv, testInfo, `wall-${scene}-${lang}`);
    }
  }
  await expect(tv.getByTestId('wall-scene-title')).toHaveText('Exhibitions · last 90 days');

  // Revoked: the TV is signed out at once.
  await admin.context.request.post(`/api/wall-screens/${screenId}/revoke`, { headers: { origin: baseURL! } });
  await expect(tv.getByTestId('wall-signed-out')).toBeVisible({ timeout: 5_000 });

  await Promise.all([admin.context.close(), tvContext.close(), rep.context.close()]);
});

test('a TV pairs with a 6-digit code typed on its remote', async ({ browser, baseURL }, testInfo) => {
  const admin = await signedInPage(browser, 'admin@demo.local');
  const created = await apiPost(admin.context, baseURL!, '/api/wall-screens', { name: '配对测试', scenes: ['pool'], rotateSeconds: 600 });
  expect(created.status).toBe(201);
  await admin.page.goto('/admin/wall');
  await admin.page.getByTestId('wall-screen-row').filter({ hasText: '配对测试' }).getByRole('button', { name: '配对码' }).click();
  const code = (await admin.page.getByTestId('wall-pairing-code').textContent())!.trim();
  expect(code).toMatch(/^\d{6}$/);
  await expect(admin.page.getByTestId('wall-secret')).toContainText(/\d:\d\d 后失效/);
  await shoot(admin.page, testInfo, 'admin-pairing-code-zh-CN');

  const tvContext = await browser.newContext({ viewport: tvViewport });
  const tv = await tvContext.newPage();
  await tv.goto('/wall');
  await expect(tv.getByTestId('wall-pairing')).toBeVisible();
  // The first digit with the arrows (from blank: 0 after one press), the rest with number keys, then OK.
  const first = Number(code[0]);
  for (let i = 0; i <= first; i++) await tv.keyboard.press('ArrowUp');
  await tv.keyboard.press('ArrowRight');
  for (const digit of code.slice(1)) await tv.keyboard.press(digit);
  await shoot(tv, testInfo, 'wall-pairing-zh-CN');
  await tv.keyboard.press('Enter');
  await expect(tv).toHaveURL(/\/wall\/screen$/);
  await expect(tv.getByTestId('wall-screen')).toHaveAttribute('data-scene', 'pool');
  // The code is used up.
  expect((await apiPost(admin.context, baseURL!, '/api/wall/pair', { code })).status).toBe(401);

  await Promise.all([admin.context.close(), tvContext.close()]);
});
