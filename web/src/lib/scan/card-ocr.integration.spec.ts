import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ocrAssetsRoutes, ocrAssetsVersion } from '../../../../api/ocr-assets.routes.ts';
import { cardFields, type CardFields } from './card-fields.ts';

// Tesseract (its node build) reads the card photos with the models our server serves, as the browser does.
let server: ServerType;
let base: string;
let worker: Worker;

beforeAll(async () => {
  server = serve({ fetch: new Hono().route('/vendor/ocr', ocrAssetsRoutes()).fetch, port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://localhost:${(server.address() as AddressInfo).port}/vendor/ocr`;
  worker = await createWorker(['chi_sim', 'eng'], OEM.LSTM_ONLY, { langPath: `${base}/${ocrAssetsVersion}/lang`, cacheMethod: 'none' });
});

afterAll(async () => {
  await worker?.terminate();
  server?.close();
});

const photo = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
const fieldsRight = (card: CardFields, want: CardFields) =>
  (Object.keys(want) as (keyof CardFields)[]).filter((key) => JSON.stringify(card[key]) === JSON.stringify(want[key])).length;

const expected: Record<string, CardFields> = {
  'card-zh': {
    contactName: '王磊', title: '销售总监', company: '杭州恒力机械有限公司', mobiles: ['138 0571 2345'], phones: ['0571 8888 6666 ext. 801'],
    email: 'wanglei@hengli-machinery.com', website: 'www.hengli-machinery.com', address: '浙江省杭州市余杭区文一西路 1500 号', province: '浙江', city: '杭州',
  },
  'card-en': {
    contactName: 'Sarah Johnson', title: 'Purchasing Manager', company: 'Brightway Industrial Co., Ltd.', mobiles: ['139 1234 5678', '186 2222 3333'],
    phones: ['021 6888 9999 ext. 123'], email: 'sarah.johnson@brightway.cn', website: 'www.brightway.cn', address: '88 Century Avenue, Pudong, Shanghai',
    province: '上海', city: '上海',
  },
  // The printed side of the QR card (the QR code itself is read in the browser test): no address or website printed.
  'card-qr': {
    contactName: '李娜', title: '采购经理', company: '深圳华创电子科技有限公司', mobiles: ['186 6688 1234'], phones: ['0755 2668 8899'],
    email: 'lina@huachuang-tech.cn', website: '', address: '', province: '广东', city: '深圳',
  },
};

describe('card photos through tesseract and cardFields', () => {
  const score: Record<string, string> = {};

  it.each(['card-zh', 'card-en'])('reads every field of %s', async (name) => {
    const { data } = await worker.recognize(photo(`${name}.png`));
    expect(cardFields(data.text)).toEqual(expected[name]);
    score[name] = '10/10';
  });

  it('reads the bilingual QR card well enough for the QR code to fix the rest', async () => {
    const { data } = await worker.recognize(photo('card-qr.png'));
    const card = cardFields(data.text);
    score['card-qr'] = `${fieldsRight(card, expected['card-qr']!)}/10`;
    expect(card).toMatchObject({ contactName: '李娜', company: '深圳华创电子科技有限公司', mobiles: ['186 6688 1234'], email: 'lina@huachuang-tech.cn' });
    expect(fieldsRight(card, expected['card-qr']!)).toBeGreaterThanOrEqual(8);
  });

  it('reads the numbers and the address of a hand-held shot at its own size (the browser scales it up first)', async () => {
    const { data } = await worker.recognize(photo('card-zh-handheld.jpg'));
    const card = cardFields(data.text);
    score['card-zh-handheld'] = `${fieldsRight(card, expected['card-zh']!)}/10`;
    expect(card).toMatchObject({ mobiles: ['138 0571 2345'], phones: ['0571 8888 6666 ext. 801'], address: '浙江省杭州市余杭区文一西路 1500 号', city: '杭州' });
    console.log('OCR fields right per card:', score);
  });
});

describe('/vendor/ocr', () => {
  it('serves the worker, core and models from node_modules, cached for good under a versioned path', async () => {
    for (const file of ['worker.min.js', 'core/tesseract-core-simd-lstm.wasm.js', 'lang/chi_sim.traineddata.gz']) {
      const res = await fetch(`${base}/${ocrAssetsVersion}/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(Number(res.headers.get('content-length'))).toBeGreaterThan(100_000);
      await res.body?.cancel();
    }
    const gz = await fetch(`${base}/${ocrAssetsVersion}/lang/eng.traineddata.gz`);
    expect([gz.headers.get('content-type'), gz.headers.get('content-encoding')]).toEqual(['application/gzip', null]);
    await gz.body?.cancel();
  });

  it('answers 404 for other files and other versions', async () => {
    expect((await fetch(`${base}/${ocrAssetsVersion}/../package.json`)).status).toBe(404);
    expect((await fetch(`${base}/${ocrAssetsVersion}/core/tesseract-core.wasm`)).status).toBe(404);
    expect((await fetch(`${base}/0.0.1-0.0.1/worker.min.js`)).status).toBe(404);
  });
});
