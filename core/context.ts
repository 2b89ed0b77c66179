import type { Db } from '../db/client.ts';
import type { Clock } from './clock.ts';
import type { EventPublisher } from './events/lead-event.ts';
import type { NotificationPublisher } from './notifications/notification.ts';

/** What every use case runs with: the database and where its effects go after commit. */
export interface CoreContext {
  db: Db;
  events: EventPublisher;
  clock: Clock;
  /** Where written notifications go after commit. */
  notifications: NotificationPublisher;
  /** A user's role, team or status changed: their live connections must re-authenticate. */
  userChanged(userId: string): void;
}
