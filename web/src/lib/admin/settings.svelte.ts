import { api, call } from '#lib/api/client.js';
import type { ReminderSettings, Stage } from '#lib/api/types.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { setOrganisationTimeZone } from '#lib/utils/clock.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { pipeline } from '#lib/pipeline/pipeline-config.svelte.js';
import { FormState } from './form-state.svelte.js';
import { numberDraft, numberOrNull } from './number-draft.js';

/** The time zones the browser knows (the server accepts the same IANA names). */
export const timeZones = ['UTC', ...Intl.supportedValuesOf('timeZone')];

/** Stages a lead can sit idle in, in pipeline order (won and lost end it). */
export const idleStages = (): Stage[] => pipeline.stages.filter((s) => s.kind === 'open').map((s) => s.key);

/** The reminders as the form holds them (numbers as typed; '': off). */
export interface ReminderDraft {
  unhandledHours: string;
  stageIdleDays: Record<Stage, string>;
  followUpDue: boolean;
  careAmount: string;
  careDays: string;
}

const reminderDraftOf = (r: ReminderSettings): ReminderDraft => ({
  unhandledHours: numberDraft(r.unhandledHours),
  stageIdleDays: Object.fromEntries(idleStages().map((s) => [s, numberDraft(r.stageIdleDays[s] ?? null)])),
  followUpDue: r.followUpDue,
  careAmount: numberDraft(r.careAmount),
  careDays: numberDraft(r.careDays),
});

const remindersOf = (d: ReminderDraft): ReminderSettings => ({
  unhandledHours: numberOrNull(d.unhandledHours),
  stageIdleDays: Object.fromEntries(Object.entries(d.stageIdleDays).flatMap(([s, days]) => (numberOrNull(days) === null ? [] : [[s, numberOrNull(days)!]]))),
  followUpDue: d.followUpDue,
  careAmount: numberOrNull(d.careAmount),
  careDays: numberOrNull(d.careDays),
});

/** Admin › Settings: the organisation's time zone, and the reminders' thresholds. */
export class SettingsAdmin extends FormState {
  timeZone = $state('Asia/Shanghai');
  reminders = $state<ReminderDraft>(reminderDraftOf({ unhandledHours: null, stageIdleDays: {}, followUpDue: false, careAmount: null, careDays: null }));
  loading = $state(true);

  async load() {
    try {
      const [{ settings }] = await Promise.all([call(api.settings.$get()), pipeline.loaded ? null : pipeline.load()]);
      this.timeZone = settings.timeZone;
      this.reminders = reminderDraftOf(settings.reminders);
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  save(): Promise<boolean> {
    return this.submit(async () => {
      const { settings } = await call(api.settings.$put({ json: { timeZone: this.timeZone, reminders: remindersOf(this.reminders) } }));
      this.timeZone = settings.timeZone;
      setOrganisationTimeZone(settings.timeZone);
      this.reminders = reminderDraftOf(settings.reminders);
      toasts.success(m.saved_toast());
    });
  }
}
