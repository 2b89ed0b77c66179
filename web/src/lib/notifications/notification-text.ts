import type { NotificationView } from '#lib/api/types.js';
import { durationText, moneyText, recycleRuleText, reminderText, stageLabel } from '#lib/i18n/labels.js';
import { dateTime } from '#lib/utils/clock.svelte.js';
import { m } from '#lib/paraglide/messages.js';
import { assertUnreachable } from '#lib/utils/assert.js';

/** A notification's line in the reader's language (`now`: for the time left in a warning; `me`: the reader). */
export function notificationText(n: NotificationView, now: number, me: string | null): string {
  switch (n.kind) {
    case 'lead.recycle_warning':
      return m.n_recycle_warning({
        company: n.data.company,
        time: durationText(Date.parse(n.data.dueAt) - now),
        rule: recycleRuleText(n.data.rule, n.data.limit),
      });
    case 'lead.recycled':
      return m.n_recycled({ company: n.data.company, rule: recycleRuleText(n.data.rule, n.data.limit) });
    case 'lead.assigned':
      return m.n_assigned({ company: n.data.company, rule: n.data.rule });
    case 'lead.reminder': {
      const reminder = reminderText(n.data.reminder);
      return n.data.ownerId === me
        ? m.n_reminder_own({ company: n.data.company, reminder })
        : m.n_reminder_other({ owner: n.data.ownerName ?? '—', company: n.data.company, reminder });
    }
    case 'task.assigned':
      return m.n_task_assigned({ by: n.data.by, company: n.data.company, title: n.data.title ?? m.task_untitled(), time: dateTime(n.data.dueAt) });
    case 'approval.requested':
      return m.n_approval_requested({ by: n.data.by, company: n.data.company, amount: moneyText(n.data.amount), stage: stageLabel(n.data.stage) });
    case 'approval.decided':
      return (n.data.approved ? m.n_approval_approved : m.n_approval_rejected)({ by: n.data.by, company: n.data.company, stage: stageLabel(n.data.stage) }) + (n.data.comment ? ` · ${n.data.comment}` : '');
    default:
      return assertUnreachable(n);
  }
}
