import { describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { decodeAwareness, encodeAwareness, stampAwareness, userColor } from './notes-awareness.ts';

describe('notes awareness on the server', () => {
  it('reads what y-protocols writes, and y-protocols reads the stamped result: the name and colour are the sender’s, whatever the client claimed', () => {
    const sender = new Awareness(new Y.Doc());
    sender.setLocalState({ cursor: { anchor: 1, head: 3 }, user: { name: '冒充的经理', color: 'red; background: url(//evil)' } });
    const entries = decodeAwareness(encodeAwarenessUpdate(sender, [sender.clientID]));
    expect(entries).toEqual([{ clientId: sender.clientID, clock: 1, state: expect.objectContaining({ cursor: { anchor: 1, head: 3 } }) }]);

    const receiver = new Awareness(new Y.Doc());
    applyAwarenessUpdate(receiver, encodeAwareness(stampAwareness(entries, { id: 'u1', name: '王芳' })), 'test');
    expect(receiver.getStates().get(sender.clientID)).toEqual({ cursor: { anchor: 1, head: 3 }, user: { id: 'u1', name: '王芳', ...userColor('u1') } });
    expect(userColor('u1').color).toMatch(/^#[0-9a-f]{6}$/);

    // Gone: a null state at a later clock removes the caret.
    applyAwarenessUpdate(receiver, encodeAwareness([{ clientId: sender.clientID, clock: 2, state: null }]), 'test');
    expect(receiver.getStates().has(sender.clientID)).toBe(false);
    sender.destroy();
    receiver.destroy();
  });

  it('refuses what is not an awareness update', () => {
    expect(() => decodeAwareness(new Uint8Array([1, 5, 1]))).toThrow();
    expect(() => decodeAwareness(encodeAwareness([{ clientId: 1, clock: 1, state: null }, { clientId: 2, clock: 1, state: null }]).slice(0, -1))).toThrow();
    const notAnObject = new TextEncoder().encode('"x"');
    expect(() => decodeAwareness(new Uint8Array([1, 1, 1, notAnObject.length, ...notAnObject]))).toThrow();
  });
});
