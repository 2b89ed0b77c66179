import { describe, expect, it, vi } from 'vitest';
import { render } from 'vitest-browser-svelte';
import { locale } from '#lib/i18n/locale.svelte.js';
import type { CardEngine } from './card-scan.svelte.js';
import ocrText from './fixtures/card-qr.ocr.txt?raw';
import cardPhoto from './fixtures/card-qr.png?url';
import { readQrCode } from './qr.js';
import ScanCard from './ScanCard.svelte';

const photo = async () => new File([await (await fetch(cardPhoto)).blob()], 'card.png', { type: 'image/png' });

/** The real QR decoder on the real photo; the text is tesseract's recorded reading of the same photo. */
const engine = (readText: CardEngine['readText']) => async (): Promise<CardEngine> => ({ prepare: () => {}, readQrCode, readText, close: async () => {} });

describe('ScanCard', () => {
  it('reads the vCard QR code on a card photo, shows each field with its source, and hands the lead fields to the form', async () => {
    locale.set('zh-CN');
    const onaccept = vi.fn();
    const screen = await render(ScanCard, {
      onaccept,
      onclose: () => {},
      engine: engine(async (_image, onProgress) => {
        onProgress({ phase: 'recognising', progress: 0.5 });
        return ocrText;
      }),
    });
    await screen.getByTestId('scan-photo').upload(await photo());

    await expect.element(screen.getByRole('button', { name: '填入表单' })).toBeVisible();
    // The OCR misread the title (采网经理) and found no address: the QR code's vCard wins.
    await expect.element(screen.getByRole('textbox', { name: '职位 二维码' })).toHaveValue('采购经理');
    await expect.element(screen.getByRole('textbox', { name: '地址 二维码' })).toHaveValue('广东省深圳市南山区科技园高新南一道9号');
    await expect.element(screen.getByRole('textbox', { name: '联系人 二维码' })).toHaveValue('李娜');

    await screen.getByRole('textbox', { name: '联系人 二维码' }).fill('李娜娜');
    await screen.getByRole('button', { name: '填入表单' }).click();
    expect(onaccept).toHaveBeenCalledWith({
      company: '深圳华创电子科技有限公司', contactName: '李娜娜', title: '采购经理', mobile: '186 6688 1234', phone: '0755 2668 8899',
      email: 'lina@huachuang-tech.cn', province: '广东', city: '深圳',
    });
    // Address and website have no place in the form: they stay to be copied.
    await expect.element(screen.getByText('名片信息已填入表单，请检查后保存。')).toBeVisible();
    await expect.element(screen.getByText('https://www.huachuang-tech.cn')).toBeVisible();
  });

  it('says so, in English, when the models cannot load and the photo has no QR code', async () => {
    locale.set('en');
    const failing = engine(async () => {
      throw Object.assign(new Error('404'), { name: 'ModelLoadError' });
    });
    const screen = await render(ScanCard, { onaccept: () => {}, onclose: () => {}, engine: async () => ({ ...(await failing()), readQrCode: () => null }) });
    await screen.getByTestId('scan-photo').upload(await photo());
    await expect.element(screen.getByRole('alert')).toHaveTextContent('The recognition models could not be loaded from the server. Try again.');
    await expect.element(screen.getByText('Take a photo or choose an image')).toBeVisible();
  });

  it('tells the rep when nothing on the photo looks like a card', async () => {
    locale.set('en');
    const screen = await render(ScanCard, { onaccept: () => {}, onclose: () => {}, engine: async () => ({ prepare: () => {}, readQrCode: () => null, readText: async () => '~ ..\n', close: async () => {} }) });
    await screen.getByTestId('scan-photo').upload(await photo());
    await expect.element(screen.getByRole('alert')).toHaveTextContent('No card details were found in the photo. Photograph the card closer, flat and in good light.');
    locale.set('zh-CN');
  });
});
