import type { FailoverRecords } from '../bond-mib/failover-record.js';
import { buildBondView } from '../bond-mib/bond-view.js';
import { notificationFor, recordFailovers } from '../bond-mib/notifications.js';
import type { BondingEvent, BondingSnapshot, Roots } from '../bonding/index.js';
import { formatOid } from '../snmp/index.js';
import type { Logger, Timers } from '../support/index.js';
import { BondingWatcher, type SnapshotUpdate } from './bonding-watcher.js';
import type { FrontEnd } from './front-end.js';
import { LinkMonitor } from './link-monitor.js';

export interface BondingServiceOptions {
  readonly roots: Roots;
  readonly pollIntervalMs: number;
  readonly linkEvents: boolean;
  readonly logger: Logger;
  readonly frontEnd: FrontEnd;
  readonly timers?: Timers;
}

/**
 * The loop both front ends share: read the kernel, swap the view, turn events
 * into notifications. The only place that wires kernel events to a front end.
 */
export class BondingService {
  private failovers: FailoverRecords = new Map();
  private readonly watcher: BondingWatcher;
  private readonly monitor: LinkMonitor | undefined;

  constructor(private readonly options: BondingServiceOptions) {
    const { logger } = options;
    this.watcher = new BondingWatcher({
      roots: options.roots,
      pollIntervalMs: options.pollIntervalMs,
      logger: logger.child({ component: 'reader' }),
      onUpdate: (u) => this.onUpdate(u),
      ...(options.timers !== undefined ? { timers: options.timers } : {}),
    });
    this.monitor = options.linkEvents
      ? new LinkMonitor({ onEvent: (e) => this.watcher.onLinkEvent(e), logger: logger.child({ component: 'netlink' }) })
      : undefined;
  }

  /** Reads everything once, then starts the front end; rejects (everything stopped) when the front end cannot start. */
  async start(): Promise<void> {
    const { options } = this;
    options.logger.info(
      {
        ...options.frontEnd.description,
        sysfs: options.roots.sysfs,
        procfs: options.roots.procfs,
        pollIntervalMs: options.pollIntervalMs,
        linkEvents: options.linkEvents,
      },
      'starting',
    );
    this.monitor?.start();
    await this.watcher.start();
    try {
      await options.frontEnd.start();
    } catch (err) {
      this.monitor?.stop();
      this.watcher.stop();
      throw err;
    }
  }

  /** Re-reads everything at once (SIGHUP). */
  requestFull(): void {
    this.watcher.requestFull();
  }

  /** What the front end counted, and how many reads were made. */
  counters(): Record<string, unknown> {
    return { frontEnd: this.options.frontEnd.counters(), reads: this.watcher.reads };
  }

  async stop(): Promise<void> {
    this.monitor?.stop();
    this.watcher.stop();
    await this.options.frontEnd.stop();
  }

  private onUpdate({ snapshot, events, scope, initial }: SnapshotUpdate): void {
    const { frontEnd, logger } = this.options;
    this.failovers = recordFailovers(this.failovers, events, snapshot, frontEnd.uptimeTicks());
    // The view changes before the notifications go out, so a manager that walks
    // the table on receiving one already sees the state that explains it.
    frontEnd.serve(buildBondView(snapshot, this.failovers), snapshot);
    if (initial) {
      logger.info(
        { bonds: snapshot.bonds.map((b) => b.name), slaves: snapshot.bonds.reduce((n, b) => n + b.slaves.length, 0) },
        'bonding state read',
      );
    }
    for (const event of events) this.tell(event, snapshot, scope);
  }

  private tell(event: BondingEvent, snapshot: BondingSnapshot, scope: string): void {
    const { frontEnd, logger } = this.options;
    const outcome = notificationFor(event, snapshot, this.failovers);
    const context = { event: event.type, bond: event.bond.name, ...('slave' in event ? { slave: event.slave.name } : {}), scope };
    switch (outcome.kind) {
      case 'none':
        logger.info(context, 'bonding change');
        return;
      case 'skip':
        logger.warn({ ...context, notification: outcome.name, reason: outcome.reason }, 'notification not sent');
        return;
      case 'send': {
        const n = outcome.notification;
        frontEnd.notify(n.trapOid, n.varbinds);
        logger.info({ ...context, notification: n.name, trapOid: formatOid(n.trapOid) }, 'notification sent');
      }
    }
  }
}
