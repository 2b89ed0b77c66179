import { ApiError } from '#lib/api/client.js';
import { handleError } from '#lib/utils/handle-error.js';

/** The state of an admin form: busy while saving, and the API's field errors by field. */
export class FormState {
  busy = $state(false);
  fieldErrors = $state<Record<string, string[]>>({});

  /** Runs a save; 422 field errors land in `fieldErrors`, any other failure in a toast. True when saved. */
  protected async submit(save: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.fieldErrors = {};
    try {
      await save();
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'request.invalid') this.fieldErrors = err.fields;
      else handleError(err);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
