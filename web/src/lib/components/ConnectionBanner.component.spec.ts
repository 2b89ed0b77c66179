import { describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-svelte';
import { locale } from '#lib/i18n/locale.svelte.js';
import ConnectionBanner from './ConnectionBanner.svelte';

describe('ConnectionBanner', () => {
  it('is absent while connected, warns when lost, confirms when back', async () => {
    locale.set('zh-CN');
    const screen = await render(ConnectionBanner, { state: null });
    await expect.element(screen.getByTestId('connection-banner')).not.toBeInTheDocument();
    await screen.rerender({ state: 'lost' });
    await expect.element(screen.getByTestId('connection-banner')).toHaveTextContent('连接已断开，正在重连…');
    await screen.rerender({ state: 'back' });
    await expect.element(screen.getByTestId('connection-banner')).toHaveTextContent('已重新连接');
    locale.set('en');
    await expect.element(screen.getByTestId('connection-banner')).toHaveTextContent('Reconnected');
    locale.set('zh-CN');
  });
});
