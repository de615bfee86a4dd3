import type { VarBind } from '../snmp/index.js';

export interface QueuedNotification {
  /** snmpTrapOID.0 and the notification's objects (sysUpTime.0 is added when it is sent). */
  readonly varbinds: readonly VarBind[];
  /** Local monotonic time (ms) at which it was raised. */
  readonly raisedAt: number;
}

/**
 * Notifications waiting for the master. Bounded: when full the oldest waiting
 * one is dropped (the newest state is what an operator needs most) and counted.
 * The head may be in flight; it is removed only once the master acknowledged it,
 * so a notification lost with the connection is sent again after reconnecting.
 */
export class NotificationQueue {
  private readonly items: QueuedNotification[] = [];
  dropped = 0;

  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
  }

  get length(): number {
    return this.items.length;
  }

  /** Adds one; returns the notification dropped to make room, if any. */
  push(item: QueuedNotification, headInFlight: boolean): QueuedNotification | undefined {
    let victim: QueuedNotification | undefined;
    if (this.items.length >= this.capacity) {
      const at = headInFlight && this.items.length > 1 ? 1 : headInFlight ? -1 : 0;
      if (at < 0) victim = item;
      else victim = this.items.splice(at, 1)[0];
      this.dropped++;
    }
    if (victim !== item) this.items.push(item);
    return victim;
  }

  peek(): QueuedNotification | undefined {
    return this.items[0];
  }

  shift(): void {
    this.items.shift();
  }
}
