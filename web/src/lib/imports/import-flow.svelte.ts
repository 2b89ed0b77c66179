import type { InferResponseType } from 'hono/client';
import type { ImportJobView } from '../../../../realtime/contract.ts';
import { api, call, errorFrom, ApiError, NETWORK_ERROR } from '#lib/api/client.js';
import type { ExhibitionView } from '#lib/api/types.js';
import { liveSocket } from '#lib/live/live.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';

export type UploadedImport = InferResponseType<typeof api.imports.$post, 201>;
export type PreviewRow = InferResponseType<(typeof api.imports)[':id']['preview']['$post'], 200>['rows'][number];
export type ImportStep = 'choose' | 'map' | 'running' | 'done';

/** Lead fields a column can go to, in the order the mapping menu lists them (mirrors core/imports/header-mapping.ts). */
export const leadTargets = ['company', 'contactName', 'title', 'mobile', 'phone', 'email', 'province', 'city', 'industry', 'source', 'exhibition', 'intent', 'expectedAmount'] as const;

const finished = (job: ImportJobView) => job.status === 'done' || job.status === 'failed';

/**
 * The import page: upload → map columns (recognised headers pre-selected) → preview with the
 * cleaning applied → start → live progress (socket `import.progress`, with a slow poll in case the
 * socket is down) → counts and the report.
 */
export class ImportFlow {
  step = $state<ImportStep>('choose');
  busy = $state(false);
  /** A refused upload, as an error code (the page translates it). */
  uploadError = $state<ApiError | null>(null);
  uploaded = $state.raw<UploadedImport | null>(null);
  /** Column index → target ('' = not imported). */
  mapping = $state<Record<string, string>>({});
  onDuplicate = $state<'skip' | 'merge'>('skip');
  /** The exhibition the whole file comes from ('' = none; an 展会 column still names one per row). */
  exhibitionId = $state('');
  exhibitions = $state.raw<ExhibitionView[]>([]);
  preview = $state.raw<PreviewRow[] | null>(null);
  mappingErrors = $state<Record<string, string[]>>({});
  job = $state.raw<ImportJobView | null>(null);

  #stopFollowing: (() => void) | undefined;

  get progress(): number {
    const job = this.job;
    if (!job?.totalRows) return 0;
    return Math.min(1, job.processedRows / job.totalRows);
  }

  async upload(file: File) {
    this.busy = true;
    this.uploadError = null;
    try {
      const form = new FormData();
      form.append('file', file);
      let res: Response;
      try {
        res = await fetch('/api/imports', { method: 'POST', body: form, credentials: 'same-origin' });
      } catch (err) {
        throw new ApiError(0, NETWORK_ERROR, err instanceof Error ? err.message : String(err));
      }
      if (!res.ok) throw await errorFrom(res);
      const uploaded = (await res.json()) as UploadedImport;
      this.uploaded = uploaded;
      this.mapping = Object.fromEntries(uploaded.headers.map((_, i) => [String(i), uploaded.suggestedMapping[String(i)] ?? '']));
      this.preview = null;
      this.step = 'map';
      this.exhibitions = (await call(api.exhibitions.$get())).items;
    } catch (err) {
      if (err instanceof ApiError && err.code.startsWith('import.')) this.uploadError = err;
      else handleError(err);
    } finally {
      this.busy = false;
    }
  }

  /** The mapping as the API takes it: unmapped columns left out. */
  get chosenMapping(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.mapping).filter(([, target]) => target !== ''));
  }

  get companyMapped(): boolean {
    return Object.values(this.mapping).includes('company');
  }

  setTarget(column: string, target: string) {
    // A field goes to one column: choosing it here frees it elsewhere.
    const next = { ...this.mapping };
    if (target) for (const [c, t] of Object.entries(next)) if (t === target) next[c] = '';
    next[column] = target;
    this.mapping = next;
    this.preview = null;
  }

  loadPreview() {
    return this.#sendMapping(async (id) => {
      this.preview = (await call(api.imports[':id'].preview.$post({ param: { id }, json: { mapping: this.chosenMapping as never } }))).rows;
    });
  }

  start() {
    return this.#sendMapping(async (id) => {
      const { job } = await call(api.imports[':id'].start.$post({ param: { id }, json: { mapping: this.chosenMapping as never, onDuplicate: this.onDuplicate, exhibitionId: this.exhibitionId || null } }));
      this.job = job as ImportJobView;
      this.step = 'running';
      this.#follow(id);
    });
  }

  /** Sends the chosen mapping (preview or start): errors about the mapping show beside it, others as a toast. */
  async #sendMapping(send: (id: string) => Promise<void>) {
    const id = this.uploaded?.job.id;
    if (!id) return;
    this.busy = true;
    this.mappingErrors = {};
    try {
      await send(id);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'request.invalid') this.mappingErrors = err.fields;
      else handleError(err);
    } finally {
      this.busy = false;
    }
  }

  #apply(job: ImportJobView) {
    // Progress only moves forward (a late poll answer must not undo a socket update).
    if (this.job && this.job.id === job.id && job.processedRows < this.job.processedRows && !finished(job)) return;
    this.job = job;
    if (finished(job)) {
      this.step = 'done';
      this.#stopFollowing?.();
    }
  }

  #follow(id: string) {
    this.#stopFollowing?.();
    const socket = liveSocket();
    const onProgress = (job: ImportJobView) => {
      if (job.id === id) this.#apply(job);
    };
    socket?.on('import.progress', onProgress);
    const poll = setInterval(async () => {
      try {
        this.#apply((await call(api.imports[':id'].$get({ param: { id } }))).job as ImportJobView);
      } catch {
        // The socket may still deliver; the next poll retries.
      }
    }, 3_000);
    this.#stopFollowing = () => {
      socket?.off('import.progress', onProgress);
      clearInterval(poll);
      this.#stopFollowing = undefined;
    };
  }

  reportUrl(lang: string): string {
    return `/api/imports/${this.job?.id ?? ''}/report?lang=${encodeURIComponent(lang)}`;
  }

  reset() {
    this.#stopFollowing?.();
    this.step = 'choose';
    this.uploaded = null;
    this.mapping = {};
    this.preview = null;
    this.job = null;
    this.exhibitionId = '';
    this.uploadError = null;
    this.mappingErrors = {};
  }

  destroy() {
    this.#stopFollowing?.();
  }
}
