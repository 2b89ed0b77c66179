import { m } from '#lib/paraglide/messages.js';
import type { BuiltInLostReason, BuiltInStage, CallOutcome, LeadEventType, CollisionStatus, CustomFieldType, FollowUpChannel, Intent, LostReasonRef, RecycleRule, Reminder, ReminderKind, Role, SourceChannel, Stage, TaskPreset } from '#lib/api/types.js';
import { pipeline } from '#lib/pipeline/pipeline-config.svelte.js';
import { dateTime } from '#lib/utils/clock.svelte.js';

const builtInStageLabel: Record<BuiltInStage, () => string> = {
  new: m.stage_new,
  contacted: m.stage_contacted,
  qualified: m.stage_qualified,
  quoted: m.stage_quoted,
  negotiation: m.stage_negotiation,
  won: m.stage_won,
  lost: m.stage_lost,
};

/**
 * A stage's name: the admin's (or `named`, the name an event carried), else the built-in stage's in the
 * reader's language, else its key (a stage removed since).
 */
export const stageLabel = (stage: Stage, named?: string | null): string => named ?? pipeline.stage(stage)?.name ?? builtInStageName(stage) ?? stage;

/** A built-in stage's own name in the reader's language (undefined for an admin's stage). */
export const builtInStageName = (stage: Stage): string | undefined => builtInStageLabel[stage as BuiltInStage]?.();

const builtInLostReasonLabel: Record<BuiltInLostReason, () => string> = {
  price: m.lost_price,
  competitor: m.lost_competitor,
  no_budget: m.lost_no_budget,
  no_need: m.lost_no_need,
  unreachable: m.lost_unreachable,
  other: m.lost_other,
};

/** A lost reason's name (events older than the admin's list carry plain text). */
export const lostReasonLabel = (reason: Pick<LostReasonRef, 'key' | 'name'> | string): string =>
  typeof reason === 'string' ? reason : (reason.name ?? builtInLostReasonLabel[reason.key as BuiltInLostReason]?.() ?? '—');


export const roleLabel = (role: Role): string =>
  ({ admin: m.role_admin, manager: m.role_manager, rep: m.role_rep, display: m.role_display })[role]();

export const intentLabel = (intent: Intent): string => ({ A: m.intent_A, B: m.intent_B, C: m.intent_C, D: m.intent_D })[intent]();

export const sourceLabel = (source: SourceChannel): string =>
  ({
    exhibition: m.source_exhibition,
    manual: m.source_manual,
    import: m.source_import,
    web: m.source_web,
    api: m.source_api,
    referral: m.source_referral,
  })[source]();

export const collisionStatusLabel = (status: CollisionStatus): string =>
  ({
    open: m.collision_status_open,
    kept: m.collision_status_kept,
    transferred: m.collision_status_transferred,
    shared: m.collision_status_shared,
    withdrawn: m.collision_status_withdrawn,
  })[status]();
export const fieldTypeLabel = (type: CustomFieldType): string =>
  ({
    text: m.fields_type_text,
    number: m.fields_type_number,
    date: m.fields_type_date,
    select: m.fields_type_select,
    multiselect: m.fields_type_multiselect,
  })[type]();

/** A custom value as text: a multiselect's options joined, a number grouped. */
export const customValueText = (value: string | number | string[] | null | undefined): string =>
  value === null || value === undefined || (Array.isArray(value) && value.length === 0)
    ? '—'
    : Array.isArray(value)
      ? value.join('、')
      : typeof value === 'number'
        ? value.toLocaleString()
        : value;

/** A recycling rule with its limit: "领取后 48 小时内无跟进" / "no follow-up within 48 h of claiming". */
export const recycleRuleText = (rule: RecycleRule, limit: number): string =>
  ({
    no_follow_up: m.recycle_rule_no_follow_up,
    idle: m.recycle_rule_idle,
    stage_idle: m.recycle_rule_stage_idle,
    not_won: m.recycle_rule_not_won,
  })[rule]({ limit: String(limit) });

export const channelLabel = (channel: FollowUpChannel): string =>
  ({ phone: m.channel_phone, wechat: m.channel_wechat, email: m.channel_email, visit: m.channel_visit, other: m.channel_other })[channel]();

/** A time left, as coarse as it is long: "2 天 3 小时", "5 小时 20 分", "35 分钟". */
export function durationText(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const [days, hours] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60)];
  if (days > 0) return m.duration_days_hours({ days: String(days), hours: String(hours) });
  if (hours > 0) return m.duration_hours_minutes({ hours: String(hours), minutes: String(minutes % 60) });
  return m.duration_minutes({ minutes: String(minutes) });
}

export const eventTypeLabel = (type: LeadEventType): string =>
  ({
    'lead.created': m.evtype_created,
    'lead.claimed': m.evtype_claimed,
    'lead.released': m.evtype_released,
    'lead.updated': m.evtype_updated,
    'lead.collision_filed': m.evtype_collision_filed,
    'lead.collision_decided': m.evtype_collision_decided,
    'lead.merged': m.evtype_merged,
    'lead.recycled': m.evtype_recycled,
    'lead.followed_up': m.evtype_followed_up,
    'lead.assigned': m.evtype_assigned,
    'lead.moved': m.evtype_moved,
    'lead.reminded': m.evtype_reminded,
    'lead.stage_changed': m.evtype_stage_changed,
    'lead.task_added': m.evtype_task_added,
    'lead.task_done': m.evtype_task_done,
    'lead.call_started': m.evtype_call_started,
    'lead.called': m.evtype_called,
    'lead.approval_requested': m.evtype_approval_requested,
    'lead.approval_decided': m.evtype_approval_decided,
    'deal.won': m.evtype_deal_won,
    'deal.paid': m.evtype_deal_paid,
    'lead.call_recorded': m.evtype_call_recorded,
    'lead.notes_edited': m.evtype_notes_edited,
  })[type]();

/** What an SLA countdown counts to (the reminder that goes out when it runs out). */
export const slaLabel = (kind: ReminderKind): string =>
  ({ unhandled: m.sla_unhandled, stage_idle: m.sla_stage_idle, follow_up_due: m.sla_follow_up_due, care: m.sla_care })[kind]();

/** A task's line: its title, or for the system's own, what it is. */
const presetTitle: Record<TaskPreset, () => string> = { quote_call_back: m.task_preset_quote_call_back, send_brochure: m.task_preset_send_brochure };

export const taskTitle = (task: { title: string | null; titleKey?: TaskPreset | null; source: string }): string =>
  task.title ?? (task.titleKey ? presetTitle[task.titleKey]() : null) ?? (task.source === 'care' ? m.task_care() : task.source === 'callback' ? m.task_callback() : m.task_untitled());

export const outcomeLabel = (outcome: CallOutcome): string =>
  ({
    connected: m.outcome_connected,
    no_answer: m.outcome_no_answer,
    busy: m.outcome_busy,
    wrong_number: m.outcome_wrong_number,
    invalid_number: m.outcome_invalid_number,
    callback: m.outcome_callback,
    not_interested: m.outcome_not_interested,
  })[outcome]();

/** A call's length: "3:05". */
export const callLength = (seconds: number): string => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/** An amount of money in yuan: "¥1,000,000". */
export const moneyText = (amount: number): string => `¥${amount.toLocaleString()}`;

/** A ratio as a whole percentage; "–" where there is none (nothing to divide by). */
export const percentText = (ratio: number | null): string => (ratio === null ? '–' : `${Math.round(ratio * 100)}%`);

/** A reminder with the threshold it passed: "领取后 24 小时未跟进" / "not followed up 24 h after it was taken". */
export function reminderText(reminder: Reminder): string {
  switch (reminder.kind) {
    case 'unhandled':
      return m.reminder_unhandled({ hours: String(reminder.hours) });
    case 'stage_idle':
      return m.reminder_stage_idle({ stage: stageLabel(reminder.stage), days: String(reminder.days) });
    case 'follow_up_due':
      return m.reminder_follow_up_due({ time: dateTime(reminder.dueAt) });
    case 'care':
      return m.reminder_care({ amount: moneyText(reminder.amount), days: String(reminder.days) });
  }
}
