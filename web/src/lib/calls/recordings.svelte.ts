import { ApiError, errorFrom, NETWORK_ERROR } from '#lib/api/client.js';
import type { CallView } from '#lib/api/types.js';
import { describeError } from '#lib/i18n/errors.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';

/** What the file picker offers (the server checks the content anyway). */
export const recordingAccept = '.mp3,.m4a,.wav,audio/mpeg,audio/mp4,audio/x-m4a,audio/wav,audio/x-wav';

/** One upload under way or refused: its progress (0–1), or the reason in the user's language. */
export interface UploadState {
  progress: number | null;
  error: string | null;
}

/** Sends the file as the request body, reporting progress; resolves on 2xx, rejects with an ApiError. */
function send(url: string, file: File, progress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) progress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      void errorFrom({ status: xhr.status, json: async () => JSON.parse(xhr.responseText) as unknown }).then(reject);
    };
    xhr.onerror = () => reject(new ApiError(0, NETWORK_ERROR, 'upload failed'));
    xhr.send(file);
  });
}

/**
 * Recordings attached from a lead's timeline: who may attach one to which call, and each upload's
 * progress or error. The timeline shows the recording once `lead.call_recorded` arrives live.
 */
export class RecordingUploads {
  uploads = $state<Record<number, UploadState>>({});
  readonly #canAttach: (call: CallView) => boolean;

  constructor(canAttach: (call: CallView) => boolean) {
    this.#canAttach = canAttach;
  }

  /** An ended call without a recording, that this person may attach one to (the caller, or whoever may edit the lead). */
  canAttach(call: CallView): boolean {
    return call.endedAt !== null && call.recording === null && call.providerStatus !== 'not_placed' && this.#canAttach(call);
  }

  async upload(callId: number, file: File): Promise<boolean> {
    this.uploads[callId] = { progress: 0, error: null };
    try {
      await send(`/api/calls/${callId}/recording`, file, (fraction) => (this.uploads[callId] = { progress: fraction, error: null }));
      delete this.uploads[callId];
      toasts.success(m.recording_attached_toast());
      return true;
    } catch (err) {
      this.uploads[callId] = { progress: null, error: describeError(err) };
      return false;
    }
  }
}
