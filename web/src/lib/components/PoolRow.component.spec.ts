import { describe, expect, it, vi } from 'vitest';
import { render } from 'vitest-browser-svelte';
import { leadView } from '#lib/testing/lead-view.fixture.js';
import { locale } from '#lib/i18n/locale.svelte.js';
import PoolRow from './PoolRow.svelte';

const lead = leadView(42, {
  company: '杭州恒力机械有限公司', contactName: '王磊', title: '采购经理', mobile: '138****8000', province: '浙江', city: '杭州', industry: '机械',
  sourceChannel: 'exhibition', exhibitionId: 'e1', exhibitionName: '广交会', intent: 'A', createdAt: new Date(Date.now() - 3 * 3_600_000).toISOString(), contactMasked: true,
});

describe('PoolRow', () => {
  it('shows the lead with its masked mobile and age, and claims it', async () => {
    locale.set('zh-CN');
    const onclaim = vi.fn();
    const screen = await render(PoolRow, { lead, onclaim });
    const row = screen.getByTestId('pool-row');
    await expect.element(row).toHaveAttribute('data-lead-id', '42');
    await expect.element(screen.getByText('杭州恒力机械有限公司')).toBeVisible();
    await expect.element(screen.getByText('138****8000')).toBeVisible();
    await expect.element(screen.getByText('3小时前')).toBeVisible();
    await screen.getByRole('button', { name: '领取' }).click();
    expect(onclaim).toHaveBeenCalledWith(lead);
  });

  it('disables the button while claiming and speaks English when switched', async () => {
    locale.set('en');
    const screen = await render(PoolRow, { lead, claiming: true });
    await expect.element(screen.getByRole('button', { name: 'Claiming…' })).toBeDisabled();
    await screen.rerender({ lead, claiming: false });
    await expect.element(screen.getByRole('button', { name: 'Claim' })).toBeEnabled();
    locale.set('zh-CN');
  });
});
