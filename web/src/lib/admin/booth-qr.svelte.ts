import { api, call } from '#lib/api/client.js';
import type { ExhibitionView } from '#lib/api/types.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The booth QR code of one exhibition: issued on first look, printable, downloadable, replaceable. */
export class BoothQr {
  readonly exhibition: ExhibitionView;
  url = $state<string | null>(null);
  token = $state<string | null>(null);
  loading = $state(true);
  busy = $state(false);

  constructor(exhibition: ExhibitionView) {
    this.exhibition = exhibition;
  }

  /** The image addresses; the token in the query makes a regenerated code load afresh. */
  image(kind: 'svg' | 'png'): string {
    return `/api/exhibitions/${encodeURIComponent(this.exhibition.id)}/booth/qr.${kind}?v=${this.token ?? ''}`;
  }

  fileName(kind: 'svg' | 'png'): string {
    return `${this.exhibition.name}-booth-qr.${kind}`;
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      await this.issue(false);
    } finally {
      this.loading = false;
    }
  }

  /** A new address; codes already printed stop working. */
  async regenerate(): Promise<void> {
    this.busy = true;
    try {
      await this.issue(true);
      toasts.success(m.booth_qr_regenerated());
    } finally {
      this.busy = false;
    }
  }

  private async issue(regenerate: boolean): Promise<void> {
    try {
      const { booth } = await call(api.exhibitions[':id'].booth.$post({ param: { id: this.exhibition.id }, json: { regenerate } }));
      this.url = booth.url;
      this.token = booth.token;
    } catch (err) {
      handleError(err);
    }
  }

  async copy(): Promise<void> {
    if (!this.url) return;
    try {
      await navigator.clipboard.writeText(this.url);
      toasts.success(m.booth_qr_copied());
    } catch {
      toasts.error(m.booth_qr_copy_failed());
    }
  }

  /** Prints a sheet with the code, the exhibition and the address, from a hidden frame (no pop-up to block). */
  async print(): Promise<void> {
    try {
      const svg = await (await fetch(this.image('svg'), { credentials: 'same-origin' })).text();
      const frame = document.createElement('iframe');
      frame.style.cssText = 'position:fixed;width:0;height:0;border:0;right:0;bottom:0';
      frame.srcdoc = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(this.exhibition.name)}</title>
        <style>body{font-family:system-ui,sans-serif;text-align:center;margin:40px}h1{font-size:28px;margin:0 0 8px}
        p{font-size:18px;margin:4px}.qr svg{width:120mm;height:120mm}.url{font-size:12px;color:#555;word-break:break-all}</style></head>
        <body><h1>${escapeHtml(this.exhibition.name)}</h1><p>${escapeHtml(m.booth_qr_print_caption())}</p>
        <div class="qr">${svg}</div><p class="url">${escapeHtml(this.url ?? '')}</p></body></html>`;
      frame.onload = () => {
        frame.contentWindow?.print();
        setTimeout(() => frame.remove(), 1000);
      };
      document.body.append(frame);
    } catch (err) {
      handleError(err);
    }
  }
}
