import type { FailoverRecords } from '../bond-mib/failover-record.js';
import { notificationFor, recordFailovers } from '../bond-mib/notifications.js';
import type { BondingEvent, BondingSnapshot, Roots } from '../bonding/index.js';
import { formatOid } from '../snmp/index.js';
import { systemTimers, type Logger, type Timers } from '../support/index.js';
import { BondingWatcher, type SnapshotUpdate } from './bonding-watcher.js';
import type { FrontEnd } from './front-end.js';
import { LinkMonitor } from './link-monitor.js';
import { FULL_READ_INTERVAL_MS, FULL_READ_INTERVAL_WITHOUT_LINK_EVENTS_MS } from './poller.js';
import { ViewSet } from './served-views.js';

export interface BondingServiceOptions {
  readonly roots: Roots;
  readonly pollIntervalMs: number;
  readonly linkEvents: boolean;
  readonly logger: Logger;
  readonly frontEnd: FrontEnd;
  /** IF-MIB ifStackTable and IEEE8023-LAG-MIB besides LINUX-BONDING-MIB (default true). */
  readonly standardMibs?: boolean;
  readonly timers?: Timers;
}

/**
 * The loop both front ends share: read the kernel, swap the views, turn events
 * into notifications. The only place that wires kernel events to a front end.
 */
export class BondingService {
  private failovers: FailoverRecords = new Map();
  private readonly watcher: BondingWatcher;
  private readonly monitor: LinkMonitor | undefined;
  private readonly views: ViewSet;
  private readonly timers: Timers;
  private current: BondingSnapshot | undefined;

  constructor(private readonly options: BondingServiceOptions) {
    const { logger } = options;
    this.timers = options.timers ?? systemTimers;
    this.views = new ViewSet(options.standardMibs ?? true);
    // A new clock (the master answered, or restarted) changes every TimeStamp served.
    options.frontEnd.onClockChange(() => this.serve());
    this.watcher = new BondingWatcher({
      roots: options.roots,
      pollIntervalMs: options.pollIntervalMs,
      fullReadIntervalMs: options.linkEvents ? FULL_READ_INTERVAL_MS : FULL_READ_INTERVAL_WITHOUT_LINK_EVENTS_MS,
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
        fullReadIntervalMs: this.watcher.fullReadIntervalMs,
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
    const { logger } = this.options;
    const now = this.timers.now();
    this.failovers = recordFailovers(this.failovers, events, snapshot, now);
    this.current = snapshot;
    // The views change before the notifications go out, so a manager that walks
    // the tables on receiving one already sees the state that explains it.
    this.serve(now);
    if (initial) {
      logger.info(
        { bonds: snapshot.bonds.map((b) => b.name), slaves: snapshot.bonds.reduce((n, b) => n + b.slaves.length, 0) },
        'bonding state read',
      );
    }
    for (const event of events) this.tell(event, snapshot, scope, now);
  }

  private serve(now = this.timers.now()): void {
    const { frontEnd } = this.options;
    if (this.current === undefined) return;
    frontEnd.serve(this.views.build(this.current, this.failovers, now, frontEnd.uptimeOrigin()), this.current);
  }

  private tell(event: BondingEvent, snapshot: BondingSnapshot, scope: string, now: number): void {
    const { frontEnd, logger } = this.options;
    const outcome = notificationFor(event, snapshot, this.failovers);
    const context = { event: event.type, bond: event.bond.name, ...('slave' in event ? { slave: event.slave.name } : {}), scope };
    switch (outcome.kind) {
      case 'skip':
        logger.warn({ ...context, notification: outcome.name, reason: outcome.reason }, 'notification not sent');
        return;
      case 'send': {
        const n = outcome.notification;
        frontEnd.notify(n.trapOid, n.varbinds, now);
        logger.info({ ...context, notification: n.name, trapOid: formatOid(n.trapOid) }, 'notification sent');
      }
    }
  }
}
