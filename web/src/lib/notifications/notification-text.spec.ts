import { afterEach, describe, expect, it } from 'vitest';
import type { NotificationView } from '#lib/api/types.js';
import { locale } from '#lib/i18n/locale.svelte.js';
import { notificationText } from './notification-text.js';

const reminder = (data: Extract<NotificationView, { kind: 'lead.reminder' }>['data']): NotificationView => ({
  id: 1, kind: 'lead.reminder', leadId: 7, data, createdAt: '2026-11-24T02:00:00.000Z', readAt: null,
});
const about = { company: '山东华信机械有限公司', ownerId: 'rep1', ownerName: '李强' };

describe('notificationText for reminders', () => {
  afterEach(() => locale.set('zh-CN'));

  it('tells the owner about their lead, and a manager whose lead it is, in zh-CN and en', () => {
    locale.set('zh-CN');
    const unhandled = reminder({ ...about, reminder: { kind: 'unhandled', hours: 24 } });
    expect(notificationText(unhandled, 0, 'rep1')).toBe('山东华信机械有限公司：领取后 24 小时未跟进');
    expect(notificationText(unhandled, 0, 'manager1')).toBe('李强 的线索 山东华信机械有限公司：领取后 24 小时未跟进');
    expect(notificationText(reminder({ ...about, reminder: { kind: 'stage_idle', stage: 'quoted', days: 3 } }), 0, 'manager1')).toContain('在「已报价」停留 3 天');
    expect(notificationText(reminder({ ...about, reminder: { kind: 'care', amount: 1_000_000, days: 30 } }), 0, 'rep1')).toContain('¥1,000,000');

    locale.set('en');
    expect(notificationText(unhandled, 0, 'manager1')).toBe("李强's lead 山东华信机械有限公司: Not followed up 24 h after it was taken");
    expect(notificationText(reminder({ ...about, reminder: { kind: 'stage_idle', stage: 'quoted', days: 3 } }), 0, 'rep1')).toBe('山东华信机械有限公司: 3 days in “Quoted”');
  });
});
