/** `bonding-agentx run`: serve LINUX-BONDING-MIB through the host's snmpd and send notifications. */
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { pino, type Level, type Logger } from 'pino';
import { AgentXSession, DEFAULT_MASTER_ADDRESS, formatMasterAddress, parseMasterAddress } from '../agentx/index.js';
import { buildBondView } from '../bond-mib/bond-view.js';
import type { FailoverRecords } from '../bond-mib/failover-record.js';
import { notificationFor, recordFailovers } from '../bond-mib/notifications.js';
import { LINUX_BONDING_MIB } from '../bond-mib/oids.js';
import { DEFAULT_ROOTS, type BondingEvent, type Roots } from '../bonding/index.js';
import { MibViewHolder } from '../mib/index.js';
import { BondingWatcher, type SnapshotUpdate } from '../runtime/bonding-watcher.js';
import { LinkMonitor } from '../runtime/link-monitor.js';
import { formatOid } from '../snmp/index.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CommandIo } from './command-io.js';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const RUN_USAGE = `Usage: bonding-agentx run [options]

Serve LINUX-BONDING-MIB through the host's snmpd (AgentX master) and send a
notification when a slave fails or recovers, the bond fails over, goes down or
comes back up, or an 802.3ad slave leaves the active aggregator.

Options:
  --agentx-socket ADDR   the master's address in snmpd's agentXSocket syntax:
                         PATH or unix:PATH, tcp:HOST:PORT
                         (default ${DEFAULT_MASTER_ADDRESS})
  --sysfs DIR            sysfs root to read (default ${DEFAULT_ROOTS.sysfs})
  --procfs DIR           procfs root to read (default ${DEFAULT_ROOTS.procfs})
  --poll-interval SEC    full re-read period, the safety net behind link events
                         (default 5; decimals allowed)
  --no-link-events       do not follow rtnetlink link events ('ip monitor link');
                         changes are then seen at the next poll only
  --ping-interval SEC    AgentX keep-alive ping period, 0 for none (default 15)
  --log-level LEVEL      ${LEVELS.join(', ')} (default info)
  -h, --help             show this help

Logs are JSON lines on stdout (pipe them through pino-pretty to read them):
one line per notification, per AgentX (re)connection and per warning about a
kernel file. The agent keeps retrying a master that is not there yet, with
backoff, and says so in the log. SIGTERM or SIGINT stop it (exit 0); SIGHUP
re-reads everything at once.

Exit status: 0 stopped by a signal, 1 failed, 2 bad usage or configuration.
`;

interface RunOptions {
  readonly master: string;
  readonly roots: Roots;
  readonly pollIntervalMs: number;
  readonly linkEvents: boolean;
  readonly pingIntervalMs: number;
  readonly logLevel: (typeof LEVELS)[number];
}

class UsageError extends Error {}

function seconds(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback * 1000;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min) {
    throw new UsageError(`--${flag} wants a number of seconds >= ${min}, not ${JSON.stringify(text)}`);
  }
  return Math.round(n * 1000);
}

function parseRunArgs(args: readonly string[]): RunOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        'agentx-socket': { type: 'string' },
        sysfs: { type: 'string' },
        procfs: { type: 'string' },
        'poll-interval': { type: 'string' },
        'no-link-events': { type: 'boolean' },
        'ping-interval': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return 'help';
  const master = values['agentx-socket'] ?? DEFAULT_MASTER_ADDRESS;
  try {
    parseMasterAddress(master);
  } catch (err) {
    throw new UsageError(`--agentx-socket: ${err instanceof Error ? err.message : String(err)}`);
  }
  const logLevel = values['log-level'] ?? 'info';
  if (!(LEVELS as readonly string[]).includes(logLevel)) {
    throw new UsageError(`--log-level wants one of ${LEVELS.join(', ')}, not ${JSON.stringify(logLevel)}`);
  }
  return {
    master,
    roots: { sysfs: values.sysfs ?? DEFAULT_ROOTS.sysfs, procfs: values.procfs ?? DEFAULT_ROOTS.procfs },
    pollIntervalMs: seconds('poll-interval', values['poll-interval'], 5, 0.05),
    linkEvents: values['no-link-events'] !== true,
    pingIntervalMs: seconds('ping-interval', values['ping-interval'], 15, 0),
    logLevel: logLevel as RunOptions['logLevel'],
  };
}

export async function missingRoot(roots: Roots): Promise<string | undefined> {
  for (const [what, dir] of [['sysfs', roots.sysfs], ['procfs', roots.procfs]] as const) {
    const isDir = await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) return `${what} root ${dir} does not exist or is not a directory`;
  }
  return undefined;
}

export async function runCommand(args: readonly string[], io: CommandIo): Promise<number> {
  let options: RunOptions | 'help';
  try {
    options = parseRunArgs(args);
  } catch (err) {
    io.stderr(`bonding-agentx run: ${err instanceof Error ? err.message : String(err)}\nTry 'bonding-agentx run --help'.\n`);
    return EXIT_USAGE;
  }
  if (options === 'help') {
    io.stdout(RUN_USAGE);
    return EXIT_OK;
  }
  const problem = await missingRoot(options.roots);
  if (problem) {
    io.stderr(`bonding-agentx run: ${problem}\n`);
    return EXIT_USAGE;
  }
  const logger = pino({ level: options.logLevel, base: { name: 'bonding-agentx' } });
  try {
    return await serve(options, logger);
  } catch (err) {
    logger.fatal({ err }, 'agent failed');
    io.stderr(`bonding-agentx run: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILURE;
  }
}

/** The composition root: the only place that wires kernel events to the AgentX session. */
async function serve(options: RunOptions, logger: Logger): Promise<number> {
  const holder = new MibViewHolder();
  const session = new AgentXSession({
    provider: holder,
    master: options.master,
    description: 'bonding-agentx: LINUX-BONDING-MIB',
    pingIntervalMs: options.pingIntervalMs,
    logger: logger.child({ component: 'agentx' }),
  });
  let failovers: FailoverRecords = new Map();

  const onUpdate = ({ snapshot, events, scope, initial }: SnapshotUpdate): void => {
    failovers = recordFailovers(failovers, events, snapshot, session.uptimeTicks());
    // The view changes before the notifications go out, so a manager that walks
    // the table on receiving one already sees the state that explains it.
    holder.replace(buildBondView(snapshot, failovers));
    if (initial) {
      logger.info(
        { bonds: snapshot.bonds.map((b) => b.name), slaves: snapshot.bonds.reduce((n, b) => n + b.slaves.length, 0) },
        'bonding state read',
      );
    }
    for (const event of events) tell(event, snapshot, scope);
  };

  const tell = (event: BondingEvent, snapshot: SnapshotUpdate['snapshot'], scope: string): void => {
    const n = notificationFor(event, snapshot, failovers);
    const context = { event: event.type, bond: event.bond.name, ...('slave' in event ? { slave: event.slave.name } : {}), scope };
    if (n === undefined) {
      logger.info(context, 'bonding change');
    } else if (!('trapOid' in n)) {
      logger.warn({ ...context, notification: n.name, reason: n.reason }, 'notification not sent');
    } else {
      session.notify(n.trapOid, n.varbinds);
      logger.info({ ...context, notification: n.name, trapOid: formatOid(n.trapOid) }, 'notification sent');
    }
  };

  const watcher = new BondingWatcher({
    roots: options.roots,
    pollIntervalMs: options.pollIntervalMs,
    logger: logger.child({ component: 'reader' }),
    onUpdate,
  });
  const monitor = options.linkEvents
    ? new LinkMonitor({ onEvent: (e) => watcher.onLinkEvent(e), logger: logger.child({ component: 'netlink' }) })
    : undefined;

  logger.info(
    {
      master: formatMasterAddress(parseMasterAddress(options.master)),
      sysfs: options.roots.sysfs,
      procfs: options.roots.procfs,
      pollIntervalMs: options.pollIntervalMs,
      linkEvents: options.linkEvents,
      subtree: formatOid(LINUX_BONDING_MIB),
    },
    'starting',
  );
  monitor?.start();
  await watcher.start();
  session.start();
  void session.register(LINUX_BONDING_MIB).catch(() => {
    // Refusals are logged by the session and retried at the next reconnect.
  });

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onHup = () => {
      logger.info({}, 'SIGHUP: re-reading everything');
      watcher.requestFull();
    };
    process.on('SIGHUP', onHup);
    const done = (sig: NodeJS.Signals) => {
      process.off('SIGHUP', onHup);
      resolve(sig);
    };
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
  });
  logger.info({ signal }, 'stopping');
  monitor?.stop();
  watcher.stop();
  await session.stop('shutdown');
  logger.info({ counters: session.counters }, 'stopped');
  logger.flush();
  return EXIT_OK;
}
