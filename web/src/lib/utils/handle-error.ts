import { describeError } from '#lib/i18n/errors.js';
import { toasts } from '#lib/toast/toasts.svelte.js';

/** The one place a failure becomes something the user sees: a translated toast. */
export function handleError(err: unknown): void {
  if (!(err instanceof Error) || err.name !== 'ApiError') console.error(err);
  toasts.error(describeError(err));
}
