import { expect, test, type Page } from '@playwright/test';
import { apiPost, signedInPage } from './helpers.ts';

/** The notes' text as the editor holds it, without the others' carets and name labels. */
const notesText = (page: Page) =>
  page.getByTestId('notes-editor').evaluate((editor) =>
    [...editor.querySelectorAll('.cm-line')]
      .map((line) => {
        const copy = line.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.cm-ySelectionCaret').forEach((caret) => caret.remove());
        return copy.textContent ?? '';
      })
      .join('\n'),
  );

test('a rep and their manager typing in the shared notes at once both end with the same text, saved', async ({ browser, baseURL }) => {
  const rep = await signedInPage(browser, 'rep9@demo.local');
  const manager = await signedInPage(browser, 'manager1@demo.local');
  const pool = (await (await rep.context.request.get('/api/pool')).json()) as { items: { id: number }[] };
  const leadId = String(pool.items[0]!.id);
  expect((await apiPost(rep.context, baseURL!, `/api/leads/${leadId}/claim`)).status).toBe(200);

  await Promise.all([rep.page.goto(`/leads/${leadId}`), manager.page.goto(`/leads/${leadId}`)]);
  for (const { page } of [rep, manager]) {
    await expect(page.getByRole('heading', { name: /^(共享笔记|Shared notes)$/ })).toBeVisible();
    await expect(page.getByTestId('notes-status')).toHaveText(/^(已保存|Saved)$/);
  }
  const repEditor = rep.page.getByTestId('notes-editor');
  const managerEditor = manager.page.getByTestId('notes-editor');
  await repEditor.click();
  await managerEditor.click();
  // Both at once, a key at a time.
  const repText = 'rep: they want two press brakes, quote by Friday';
  const managerText = 'manager: offer the 5% show discount';
  await Promise.all([rep.page.keyboard.type(repText, { delay: 25 }), manager.page.keyboard.type(managerText, { delay: 25 })]);

  // Each run stays whole (the CRDT orders the two), and both screens agree.
  await expect.poll(() => notesText(rep.page)).toContain(managerText);
  await expect.poll(() => notesText(manager.page)).toContain(repText);
  const settled = await notesText(rep.page);
  expect(settled).toContain(repText);
  expect(settled.length).toBe(repText.length + managerText.length);
  await expect.poll(() => notesText(manager.page)).toBe(settled);
  for (const { page } of [rep, manager]) await expect(page.getByTestId('notes-status')).toHaveText(/^(已保存|Saved)$/);
  // Each sees the other in the notes beside the title.
  await expect(manager.page.getByTestId('notes-person')).toHaveText(/(正在编辑|is editing)/);

  // Stored on the server: a fresh load shows the same text.
  await manager.page.reload();
  await expect(manager.page.getByTestId('notes-status')).toHaveText(/^(已保存|Saved)$/);
  expect(await notesText(manager.page)).toBe(settled);
  await rep.context.close();
  await manager.context.close();
});
