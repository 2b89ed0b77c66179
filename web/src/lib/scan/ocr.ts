// Loaded only when a rep scans a card (dynamic import): tesseract.js, its worker and models stay out of the page bundle.
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { version as tesseractVersion } from 'tesseract.js/package.json';
import { version as coreVersion } from 'tesseract.js-core/package.json';

/** Served by our own server (api/ocr-assets.routes.ts): the scan never leaves the origin and works offline. */
const base = `/vendor/ocr/${tesseractVersion}-${coreVersion}`;

export type OcrProgress = { phase: 'loading' | 'recognising'; progress: number };

// tesseract reports each loading step from 0 to 1; the rep sees one bar, weighted by what takes the time.
const loadingSteps: Record<string, [from: number, to: number]> = {
  'loading tesseract core': [0, 0.3],
  'initializing tesseract': [0, 0.3],
  'loading language traineddata': [0.3, 0.9],
  'initializing api': [0.9, 1],
};

function progressOf({ status, progress }: { status: string; progress: number }): OcrProgress | null {
  if (status === 'recognizing text') return { phase: 'recognising', progress };
  const step = loadingSteps[status];
  return step ? { phase: 'loading', progress: step[0] + (step[1] - step[0]) * progress } : null;
}

export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

/** One tesseract worker with the Chinese and English models, created on first use. */
export class CardReader {
  #worker: Promise<Worker> | undefined;
  #onProgress: (p: OcrProgress) => void = () => {};

  #load(): Promise<Worker> {
    this.#worker ??= createWorker(['chi_sim', 'eng'], OEM.LSTM_ONLY, {
      workerPath: `${base}/worker.min.js`,
      corePath: `${base}/core`,
      langPath: `${base}/lang`,
      // Load the worker script from our origin rather than through a blob: URL.
      workerBlobURL: false,
      logger: (m) => {
        const progress = progressOf(m);
        if (progress) this.#onProgress(progress);
      },
      errorHandler: () => {},
    }).catch((err: unknown) => {
      this.#worker = undefined;
      throw new ModelLoadError(String(err));
    });
    return this.#worker;
  }

  /** Starts loading the models (while the rep takes the photo); a failure is reported by the next read. */
  prepare(): void {
    this.#load().catch(() => {});
  }

  /** The text tesseract reads on the image, line by line. */
  async read(image: HTMLCanvasElement, onProgress: (p: OcrProgress) => void): Promise<string> {
    this.#onProgress = onProgress;
    const worker = await this.#load();
    const { data } = await worker.recognize(image);
    return data.text;
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await (await worker?.catch(() => undefined))?.terminate();
  }
}
