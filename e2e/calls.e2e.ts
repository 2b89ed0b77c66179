import { expect, test, type Browser } from '@playwright/test';
import { wavFile } from '../test/audio-fixtures.ts';
import { apiPost, signedInPage } from './helpers.ts';

/** `repEmail` claims the pool's first lead; the rep and manager1 both open its page. */
async function repAndManagerOnALead(browser: Browser, baseURL: string, repEmail: string) {
  const rep = await signedInPage(browser, repEmail);
  const manager = await signedInPage(browser, 'manager1@demo.local');
  const pool = (await (await rep.context.request.get('/api/pool')).json()) as { items: { id: number }[] };
  const leadId = String(pool.items[0]!.id);
  expect((await apiPost(rep.context, baseURL, `/api/leads/${leadId}/claim`)).status).toBe(200);
  await rep.page.goto(`/leads/${leadId}`);
  await manager.page.goto(`/leads/${leadId}`);
  return { rep, manager };
}

test('a rep on a call shows as on the line to the manager watching, who is warned before calling too; hanging up logs the outcome and clears the marker', async ({ browser, baseURL }) => {
  const { rep, manager } = await repAndManagerOnALead(browser, baseURL!, 'rep8@demo.local');
  const repName = ((await (await rep.context.request.get('/api/users/me')).json()) as { user: { name: string } }).user.name;
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

test('after hanging up the rep attaches a recording to the call in the timeline (a renamed text file is refused); the manager watching gets a player that can seek', async ({ browser, baseURL }) => {
  const { rep, manager } = await repAndManagerOnALead(browser, baseURL!, 'rep9@demo.local');
  await rep.page.getByRole('button', { name: /^(打电话|Call)$/ }).click();
  await rep.page.getByRole('button', { name: /挂断|Hang up/ }).click();
  await rep.page.getByText(/^(已接通|Connected)$/).click();
  await rep.page.getByRole('button', { name: /保存通话|Log the call/ }).click();

  const attach = rep.page.getByTestId('recording-attach');
  // A text file renamed .mp3 is refused by its content, in the rep's language.
  await attach.locator('input[type=file]').setInputFiles({ name: 'notes.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from('不是录音'.repeat(200)) });
  await expect(attach.getByRole('alert')).toContainText(/只能添加 MP3、M4A 或 WAV 录音|Only MP3, M4A or WAV/);
  const recording = wavFile(16_000);
  await attach.locator('input[type=file]').setInputFiles({ name: '通话录音.wav', mimeType: 'audio/wav', buffer: recording });

  const player = manager.page.locator('audio.recording');
  await expect(player).toHaveCount(1, { timeout: 3_000 });
  await expect(player).toHaveAttribute('preload', 'none');
  await expect(rep.page.locator('audio.recording')).toHaveCount(1);
  await expect(rep.page.getByTestId('recording-attach')).toHaveCount(0);
  // The player's source answers a byte range (what seeking asks for) in the manager's session.
  const src = (await player.getAttribute('src'))!;
  const part = await manager.context.request.get(src, { headers: { range: 'bytes=44-1043' } });
  expect(part.status()).toBe(206);
  expect(part.headers()['content-type']).toBe('audio/wav');
  expect(Buffer.from(await part.body()).equals(recording.subarray(44, 1044))).toBe(true);

  await rep.context.close();
  await manager.context.close();
});
