import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, LeadPresence, ServerToClientEvents } from '../../../../realtime/contract.ts';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Who else has a lead's page open ("王芳 正在查看"): this tab watches the lead while the page is open. */
export class LeadPresenceState {
  viewers = $state.raw<LeadPresence['viewers']>([]);
  readonly #leadId: number;
  readonly #socket: LiveSocket | undefined;

  constructor(leadId: number, socket: LiveSocket | undefined) {
    this.#leadId = leadId;
    this.#socket = socket;
  }

  /** The people watching besides `me`. */
  others(me: string): LeadPresence['viewers'] {
    return this.viewers.filter((v) => v.id !== me);
  }

  /** Watches the lead (again after every reconnect); returns the stop, which leaves. */
  start(): () => void {
    const socket = this.#socket;
    if (!socket) return () => {};
    const leadId = this.#leadId;
    const watch = () => void socket.emit('lead.watch', { leadId }, () => {});
    const heard = (presence: LeadPresence) => {
      if (presence.leadId === leadId) this.viewers = presence.viewers;
    };
    socket.on('lead.presence', heard);
    socket.on('connect', watch);
    if (socket.connected) watch();
    return () => {
      socket.off('lead.presence', heard);
      socket.off('connect', watch);
      socket.emit('lead.unwatch', { leadId });
    };
  }
}
