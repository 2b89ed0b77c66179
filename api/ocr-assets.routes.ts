import { createReadStream, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
const packageVersion = (name: string) => (require(`${name}/package.json`) as { version: string }).version;

/**
 * The versions in the URL: the web builds the same string from the same package.json files,
 * so a new install gets new URLs and the assets can be cached for good.
 */
export const ocrAssetsVersion = `${packageVersion('tesseract.js')}-${packageVersion('tesseract.js-core')}`;

// The card scan recognises text with LSTM models only (tesseract's OEM 1): the worker picks the
// core build that fits the browser (relaxed SIMD, SIMD or plain), the integer "best" models are
// 1.7 MB (chi_sim) and 2.9 MB (eng) gzipped.
const core = packageDir('tesseract.js-core');
const files = new Map<string, { file: string; type: string }>([
  ['worker.min.js', { file: path.join(packageDir('tesseract.js'), 'dist/worker.min.js'), type: 'text/javascript; charset=utf-8' }],
  ...['tesseract-core-lstm', 'tesseract-core-simd-lstm', 'tesseract-core-relaxedsimd-lstm'].map(
    (name) => [`core/${name}.wasm.js`, { file: path.join(core, `${name}.wasm.js`), type: 'text/javascript; charset=utf-8' }] as const,
  ),
  ...['chi_sim', 'eng'].map(
    (lang) =>
      [
        `lang/${lang}.traineddata.gz`,
        // Served as the gzip file it is: tesseract.js unpacks it itself, so no Content-Encoding.
        { file: path.join(packageDir(`@tesseract.js-data/${lang}`), '4.0.0_best_int', `${lang}.traineddata.gz`), type: 'application/gzip' },
      ] as const,
  ),
]);

/** The OCR worker, its WebAssembly core and the language models, from node_modules: scanning works offline. */
export const ocrAssetsRoutes = () =>
  new Hono().get('/:version/:file{.+}', (c) => {
    const asset = files.get(c.req.param('file'));
    if (c.req.param('version') !== ocrAssetsVersion || !asset) return c.text('Not found', 404, { 'cache-control': 'no-store' });
    return new Response(Readable.toWeb(createReadStream(asset.file)) as ReadableStream, {
      headers: {
        'content-type': asset.type,
        'content-length': String(statSync(asset.file).size),
        'cache-control': 'public, max-age=31536000, immutable',
        'cross-origin-resource-policy': 'same-origin',
      },
    });
  });
