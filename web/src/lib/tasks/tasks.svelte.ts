import { api, call } from '#lib/api/client.js';
import type { LeadEvent, TaskView } from '#lib/api/types.js';
import { followLog, type LiveSync } from '#lib/live/live-sync.svelte.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { dateTime } from '#lib/utils/clock.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';

export const taskViews = ['today', 'overdue', 'upcoming', 'done'] as const;
export type TaskViewName = (typeof taskViews)[number];

const DAY = 24 * 3_600_000;

/** Completes, reopens or snoozes a task; answers the task as it now is, or null when refused (said in a toast). */
export async function changeTask(task: TaskView, change: { done?: boolean; snoozeMs?: number }): Promise<TaskView | null> {
  const json = {
    ...(change.done === undefined ? {} : { done: change.done }),
    // Snoozed from now when overdue, else from its due time.
    ...(change.snoozeMs ? { dueAt: new Date(Math.max(Date.now(), Date.parse(task.dueAt)) + change.snoozeMs).toISOString() } : {}),
  };
  try {
    const { task: changed } = await call(api.tasks[':id'].$patch({ param: { id: String(task.id) }, json }));
    if (change.done) toasts.success(m.task_completed_toast());
    if (change.snoozeMs) toasts.success(m.task_snoozed_toast({ time: dateTime(changed.dueAt) }));
    return changed;
  } catch (err) {
    handleError(err);
    return null;
  }
}

export const snoozes = [
  { ms: DAY, label: () => m.task_snooze_day() },
  { ms: 7 * DAY, label: () => m.task_snooze_week() },
];

/** "My tasks": one view (today, overdue, upcoming, done), reloaded when a task event about me arrives. */
export class TasksState {
  view = $state<TaskViewName>('today');
  items = $state.raw<TaskView[]>([]);
  loading = $state(true);
  readonly #live: LiveSync | undefined;
  readonly #me: string;

  constructor(me: string, live?: LiveSync) {
    this.#me = me;
    this.#live = live;
  }

  start(): () => void {
    return followLog(this.#live, { apply: (events) => this.apply(events), reload: () => this.load() });
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.items = (await call(api.tasks.$get({ query: { view: this.view } }))).items;
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  show(view: TaskViewName): void {
    this.view = view;
    void this.load();
  }

  apply(events: LeadEvent[]): void {
    if (events.some((e) => (e.type === 'lead.task_added' || e.type === 'lead.task_done') && e.data.task.assigneeId === this.#me)) void this.load();
  }

  async change(task: TaskView, change: { done?: boolean; snoozeMs?: number }): Promise<void> {
    const changed = await changeTask(task, change);
    // Done, reopened or snoozed, it leaves this view (a snoozed one may belong to another).
    if (changed) void this.load();
  }
}
