import type { BuiltInLostReason, BuiltInStage, CallOutcome, Stage } from '../../db/schema/index.ts';
import type { LeadEvent, LostReasonRef, Reminder } from '../events/lead-event.ts';
import { assertUnreachable } from '../events/lead-event.ts';

// Group robots post into chat groups: the lines are in Chinese (the groups' language) and contacts stay masked.
const titles: Record<LeadEvent['type'], string> = {
  'lead.created': '新线索',
  'lead.claimed': '线索被领取',
  'lead.released': '线索退回公海',
  'lead.updated': '线索更新',
  'lead.collision_filed': '撞单申请',
  'lead.collision_decided': '撞单已裁决',
  'lead.merged': '线索合并',
  'lead.recycled': '线索被回收',
  'lead.followed_up': '线索跟进',
  'lead.assigned': '线索已分配',
  'lead.moved': '线索移池',
  'lead.reminded': '线索提醒',
  'lead.stage_changed': '阶段变更',
  'lead.task_added': '新任务',
  'lead.task_done': '任务完成',
  'lead.call_started': '开始通话',
  'lead.called': '通话结束',
  'lead.approval_requested': '申请审批',
  'lead.approval_decided': '审批结果',
  'deal.won': '赢单',
  'deal.paid': '回款',
  'lead.call_recorded': '通话录音',
  'lead.notes_edited': '共享笔记',
};

// As the web names them in zh-CN (messages/zh-CN.json stage_*).
const stageNames: Record<BuiltInStage, string> = { new: '新线索', contacted: '初步沟通', qualified: '意向确认', quoted: '已报价', negotiation: '商务谈判', won: '赢单', lost: '输单' };

const lostReasonNames: Record<BuiltInLostReason, string> = { price: '价格太高', competitor: '选择了竞品', no_budget: '没有预算', no_need: '暂无需求', unreachable: '联系不上', other: '其他' };

/** A stage's name: the admin's when it has one, else the built-in name, else its key. */
const stageName = (stage: Stage, name?: string | null) => name ?? stageNames[stage as BuiltInStage] ?? stage;
const lostReasonName = (reason: LostReasonRef | string) => (typeof reason === 'string' ? reason : (reason.name ?? lostReasonNames[reason.key as BuiltInLostReason] ?? '—'));

const outcomeNames: Record<CallOutcome, string> = { connected: '已接通', no_answer: '无人接听', busy: '占线', wrong_number: '打错了', invalid_number: '空号', callback: '约回电', not_interested: '没兴趣' };

function reminderLine(reminder: Reminder): string {
  switch (reminder.kind) {
    case 'unhandled':
      return `领取 ${reminder.hours} 小时未跟进`;
    case 'stage_idle':
      return `停留在「${stageName(reminder.stage)}」已 ${reminder.days} 天`;
    case 'follow_up_due':
      return '计划的跟进时间到了';
    case 'care':
      return `${reminder.days} 天未联系的大客户（≥ ¥${reminder.amount.toLocaleString('zh-CN')}）`;
    default:
      return assertUnreachable(reminder);
  }
}

function detail(event: LeadEvent): string {
  switch (event.type) {
    case 'lead.created':
      return `录入：${event.actor.name}`;
    case 'lead.claimed':
      return `领取人：${event.data.lead.ownerName ?? event.actor.name}`;
    case 'lead.released':
      return `原负责人：${event.data.previousOwnerName ?? '—'}，原因：${event.data.reason}`;
    case 'lead.updated':
      return `操作人：${event.actor.name}`;
    case 'lead.collision_filed':
      return `申请人：${event.actor.name}`;
    case 'lead.collision_decided':
      return `裁决人：${event.actor.name}`;
    case 'lead.merged':
      return `并入：${event.data.merged.company}`;
    case 'lead.recycled':
      return `原负责人：${event.data.previousOwnerName ?? '—'}`;
    case 'lead.followed_up':
      return `${event.actor.name}：${event.data.followUp.summary}`;
    case 'lead.assigned':
      return `分配给：${event.data.lead.ownerName ?? '—'}（规则「${event.data.rule.name}」）`;
    case 'lead.moved':
      return `规则「${event.data.rule.name}」`;
    case 'lead.stage_changed':
      return `${event.actor.name}：${stageName(event.data.from, event.data.fromName)} → ${stageName(event.data.to, event.data.toName)}${event.data.lostReason ? `（${lostReasonName(event.data.lostReason)}）` : ''}`;
    case 'lead.task_added':
    case 'lead.task_done':
      return `${event.data.task.title ?? '客户关怀'}（${event.data.task.assigneeName}）`;
    case 'lead.call_started':
      return `${event.data.call.userName} 正在通话`;
    case 'lead.called':
      return event.data.call.providerStatus === 'not_placed'
        ? `${event.data.call.userName}：呼叫中心未拨出`
        : `${event.data.call.userName}：${event.data.call.outcome ? outcomeNames[event.data.call.outcome] : '—'}，${event.data.call.durationSeconds ?? 0} 秒`;
    case 'lead.call_recorded':
      return `${event.data.call.userName} 的通话录音（${Math.max(1, Math.round((event.data.call.recording?.sizeBytes ?? 0) / 1024))} KB）`;
    case 'lead.notes_edited':
      return `${event.actor.name} 编辑了共享笔记`;
    case 'lead.reminded':
      return `${reminderLine(event.data.reminder)}，负责人：${event.data.lead.ownerName ?? '—'}`;
    case 'lead.approval_requested':
      return `${event.actor.name} 申请进入「${stageName(event.data.approval.stage)}」，金额 ¥${event.data.approval.amount.toLocaleString('zh-CN')}`;
    case 'lead.approval_decided':
      return `${event.actor.name}：${event.data.decision.approved ? '同意' : '驳回'}${event.data.decision.comment ? `（${event.data.decision.comment}）` : ''}`;
    case 'deal.won':
      return `${event.data.deal.ownerName ?? event.actor.name} 签约 ¥${event.data.deal.amount.toLocaleString('zh-CN')}，合同号 ${event.data.deal.contractNo}`;
    case 'deal.paid':
      return `第 ${event.data.instalment + 1} 期 ¥${event.data.deal.instalments[event.data.instalment]!.amount.toLocaleString('zh-CN')}${event.data.paid ? ' 已回款' : ' 改为未回款'}`;
    default:
      return assertUnreachable(event);
  }
}

/** A lead event as a robot's markdown: a title line and the message (the event's contacts must already be masked). */
export function robotMarkdown(event: LeadEvent): { title: string; text: string } {
  const lead = event.data.lead;
  const title = `${titles[event.type]}：${lead.company}`;
  const place = [lead.province, lead.city].filter(Boolean).join(' · ');
  const lines = [`### ${title}`, `> ${detail(event)}`, ...(place ? [`> 地区：${place}`] : []), ...(lead.contactName ? [`> 联系人：${lead.contactName}`] : [])];
  return { title, text: lines.join('\n\n') };
}

export const robotTestMarkdown = { title: 'Leadpool 测试消息', text: '### Leadpool 测试消息\n\n> 机器人已接通，线索动态会推送到这个群。' };
