import { FormState } from '#lib/admin/form-state.svelte.js';
import { api, call } from '#lib/api/client.js';
import type { LeadEvent, TaskView } from '#lib/api/types.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { changeTask } from './tasks.svelte.js';

/** A lead's tasks on its page, and the form adding one. */
export class LeadTasks extends FormState {
  items = $state.raw<TaskView[]>([]);
  title = $state('');
  /** A `datetime-local` value. */
  dueAt = $state('');
  /** Whom each task may be handed to, fetched when its menu is first opened. */
  assignees = $state<Record<number, { id: string; name: string }[]>>({});
  readonly #leadId: number;

  constructor(leadId: number) {
    super();
    this.#leadId = leadId;
  }

  async load(): Promise<void> {
    try {
      this.items = (await call(api.leads[':id'].tasks.$get({ param: { id: String(this.#leadId) } }))).items;
    } catch (err) {
      handleError(err);
    }
  }

  /** Another tab or person added or finished one of this lead's tasks. */
  apply(events: LeadEvent[]): void {
    if (events.some((e) => e.leadId === this.#leadId && (e.type === 'lead.task_added' || e.type === 'lead.task_done'))) void this.load();
  }

  add(): Promise<boolean> {
    const fields: Record<string, string[]> = {};
    if (this.title.trim() === '') fields.title = ['required'];
    if (this.dueAt === '') fields.dueAt = ['required'];
    if (Object.keys(fields).length > 0) {
      this.fieldErrors = fields;
      return Promise.resolve(false);
    }
    return this.submit(async () => {
      const json = { title: this.title.trim(), dueAt: new Date(this.dueAt).toISOString() };
      await call(api.leads[':id'].tasks.$post({ param: { id: String(this.#leadId) }, json }));
      this.title = '';
      this.dueAt = '';
      toasts.success(m.task_added_toast());
      await this.load();
    });
  }

  async change(task: TaskView, change: { done?: boolean; snoozeMs?: number }): Promise<void> {
    if (await changeTask(task, change)) await this.load();
  }

  async loadAssignees(task: TaskView): Promise<void> {
    if (this.assignees[task.id]) return;
    try {
      this.assignees[task.id] = (await call(api.tasks[':id'].assignees.$get({ param: { id: String(task.id) } }))).items;
    } catch (err) {
      handleError(err);
    }
  }

  /** Hands the task to someone else (they are notified). */
  async reassign(task: TaskView, assigneeId: string): Promise<void> {
    if (assigneeId === task.assigneeId) return;
    try {
      const { task: changed } = await call(api.tasks[':id'].$patch({ param: { id: String(task.id) }, json: { assigneeId } }));
      toasts.success(m.task_reassigned_toast({ name: changed.assigneeName }));
    } catch (err) {
      handleError(err);
    }
    await this.load();
  }
}
