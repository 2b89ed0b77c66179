import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { parseContactCode } from './contact-code.js';
import {
  cardFields, draftFromCard, draftFields, leadFormPart, mergeCard,
  type CardDraft, type CardFields, type DraftField, type FieldSource, type LeadFormPart,
} from './card-fields.js';

/** What reads a card photo: the QR code and the printed text. */
export interface CardEngine {
  /** Starts loading what reading needs. */
  prepare(): void;
  readQrCode(image: HTMLCanvasElement): string | null;
  readText(image: HTMLCanvasElement, onProgress: (p: { phase: 'loading' | 'recognising'; progress: number }) => void): Promise<string>;
  close(): Promise<void>;
}

export type ScanPhase = 'idle' | 'reading' | 'loading' | 'recognising' | 'review' | 'accepted' | 'error';
export type ScanError = 'image_unreadable' | 'model_failed' | 'no_text' | 'failed';

/** tesseract.js and jsQR load only when the first card is scanned. */
async function browserEngine(): Promise<CardEngine> {
  const [{ CardReader }, { readQrCode }] = await Promise.all([import('./ocr.js'), import('./qr.js')]);
  const reader = new CardReader();
  return { prepare: () => reader.prepare(), readQrCode, readText: (image, onProgress) => reader.read(image, onProgress), close: () => reader.close() };
}

// Phone photos are 12 megapixels, screenshots and chat images much smaller. Measured in Chromium on the four
// fixture photos, tesseract's text gave 37 of 40 fields at 2000 px on the long side (36 at their own 1200 px,
// 35 at 1600); a full-size photo only makes it slower on a phone.
const longSide = 2000;

async function toCanvas(photo: Blob): Promise<HTMLCanvasElement> {
  const bitmap = await createImageBitmap(photo);
  const scale = Math.min(2, longSide / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  const context = canvas.getContext('2d');
  if (context) context.imageSmoothingQuality = 'high';
  context?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return canvas;
}

const hasAny = (card: CardFields | null) => !!card && Object.values(card).some((v) => v.length > 0);

/** One business-card scan: photo → QR contact and recognised text → fields the rep corrects → the lead form. */
export class CardScan {
  phase = $state<ScanPhase>('idle');
  /** 0–1 within the phase (model loading, then recognising). */
  progress = $state(0);
  error = $state<ScanError | null>(null);
  previewUrl = $state<string | null>(null);
  draft = $state<CardDraft>(draftFromCard(mergeCard(null, null).fields, {}).draft);
  sources = $state.raw<Partial<Record<DraftField, FieldSource>>>({});
  otherNumbers = $state.raw<string[]>([]);
  /** The QR code held a contact. */
  fromQr = $state(false);

  #engine: Promise<CardEngine> | undefined;
  #loadEngine: () => Promise<CardEngine>;
  #scan = 0;

  constructor(loadEngine: () => Promise<CardEngine> = browserEngine) {
    this.#loadEngine = loadEngine;
  }

  get busy() {
    return this.phase === 'reading' || this.phase === 'loading' || this.phase === 'recognising';
  }

  /** Loads the recognition models while the rep takes the photo: the scan is then seconds quicker. */
  prepare() {
    (this.#engine ??= this.#loadEngine()).then((engine) => engine.prepare()).catch(() => {
      this.#engine = undefined;
    });
  }

  /** Reads a photo; a newer photo makes an older, still running scan's result go unused. */
  async scan(photo: Blob): Promise<void> {
    const scan = ++this.#scan;
    const current = () => scan === this.#scan;
    this.#setPreview(URL.createObjectURL(photo));
    this.error = null;
    this.progress = 0;
    this.phase = 'reading';

    let image: HTMLCanvasElement;
    try {
      image = await toCanvas(photo);
    } catch {
      if (current()) this.#fail('image_unreadable');
      return;
    }
    let engine: CardEngine;
    try {
      engine = await (this.#engine ??= this.#loadEngine());
    } catch {
      this.#engine = undefined;
      if (current()) this.#fail('model_failed');
      return;
    }
    if (!current()) return;

    const qrText = engine.readQrCode(image);
    const qr = qrText ? parseContactCode(qrText) : null;
    let ocr: CardFields | null = null;
    let ocrError: ScanError | null = null;
    try {
      const text = await engine.readText(image, ({ phase, progress }) => {
        if (!current()) return;
        this.phase = phase;
        this.progress = progress;
      });
      ocr = cardFields(text);
    } catch (err) {
      ocrError = err instanceof Error && err.name === 'ModelLoadError' ? 'model_failed' : 'failed';
    }
    if (!current()) return;
    // A QR contact alone is enough to fill the form when the models could not load.
    if (!hasAny(qr) && !hasAny(ocr)) return this.#fail(ocrError ?? 'no_text');

    const merged = mergeCard(hasAny(qr) ? qr : null, ocr);
    const { draft, sources, otherNumbers } = draftFromCard(merged.fields, merged.sources);
    this.draft = draft;
    this.sources = sources;
    this.otherNumbers = otherNumbers;
    this.fromQr = hasAny(qr);
    this.phase = 'review';
  }

  /** The corrected fields for the lead form; the panel keeps showing address and website to copy. */
  accept(): LeadFormPart {
    this.phase = 'accepted';
    return leadFormPart(this.draft);
  }

  /** Address and website have no place in the lead form: the rep copies them. */
  async copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      toasts.success(m.scan_copied());
    } catch (err) {
      handleError(err);
    }
  }

  /** Back to choosing a photo. */
  restart() {
    this.#scan++;
    this.#setPreview(null);
    this.error = null;
    this.phase = 'idle';
  }

  async close() {
    this.#scan++;
    this.#setPreview(null);
    const engine = this.#engine;
    this.#engine = undefined;
    await (await engine?.catch(() => undefined))?.close();
  }

  #fail(error: ScanError) {
    this.error = error;
    this.phase = 'error';
  }

  #setPreview(url: string | null) {
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    this.previewUrl = url;
  }
}

