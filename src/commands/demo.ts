/** `bonding-agentx demo`: a simulated bonding host served by the embedded agent, its notifications printed as they arrive. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { DEMO_SCHEDULE } from '../demo/schedule.js';
import { formatNotification } from '../demo/notification-text.js';
import { startNotificationReceiver, type NotificationReceiver } from '../demo/notification-receiver.js';
import { SimulatedHost } from '../demo/simulated-host.js';
import { defaultEngineId } from '../standalone/index.js';
import { BondingService } from './bonding-service.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CommandIo } from './command-io.js';
import { packageVersion } from './package-version.js';
import { StandaloneFrontEnd } from './standalone-front-end.js';

const COMMUNITY = 'public';
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A real-kernel capture (Debian's 6.1 kernel) trimmed to three bonds: what the simulation starts from. */
const FIXTURE = join(PACKAGE_ROOT, 'examples', 'demo-host');

export const DEMO_USAGE = `Usage: bonding-agentx demo [options]

Runs a simulated bonding host and serves it with the embedded SNMP agent, no
snmpd and no bonds needed: a copy of a real-kernel capture (bond0
active-backup, bond1 balance-rr, bond2 802.3ad) in a temp dir whose links fail
and recover on a schedule. The agent answers SNMPv2c (community "${COMMUNITY}")
on udp:127.0.0.1:PORT and sends its notifications to a receiver in this
process, which prints them as they arrive. Ctrl-C stops everything and removes
the temp dir.

Options:
  --port PORT        UDP port of the agent on 127.0.0.1 (default 1161)
  --interval SEC     seconds between link changes (default 4; decimals allowed)
  --log-level LEVEL  the agent's own log on stderr (default warn)
  -h, --help         show this help
`;

interface DemoOptions {
  readonly port: number;
  readonly intervalMs: number;
  readonly logLevel: string;
}

function parseDemoArgs(args: readonly string[]): DemoOptions | 'help' {
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: 'string' },
      interval: { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const port = Number(values.port ?? '1161');
  if (!/^\d+$/.test(values.port ?? '1161') || port < 1 || port > 65535) throw new Error(`--port wants 1..65535, not ${JSON.stringify(values.port)}`);
  const interval = Number(values.interval ?? '4');
  if (!Number.isFinite(interval) || interval < 0.2) throw new Error(`--interval wants seconds >= 0.2, not ${JSON.stringify(values.interval)}`);
  const logLevel = values['log-level'] ?? 'warn';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) throw new Error(`--log-level: unknown level ${JSON.stringify(logLevel)}`);
  return { port, intervalMs: Math.round(interval * 1000), logLevel };
}

/** The net-snmp package's own MIB directory (SNMPv2-SMI, IF-MIB...), for the printed snmpwalk command. */
function netSnmpMibDir(): string | undefined {
  try {
    return join(dirname(fileURLToPath(import.meta.resolve('net-snmp'))), 'lib', 'mibs');
  } catch {
    return undefined;
  }
}

const clock = (at: Date): string => `${at.toTimeString().slice(0, 8)}.${String(at.getMilliseconds()).padStart(3, '0')}`;

export async function demoCommand(args: readonly string[], io: CommandIo): Promise<number> {
  let options: DemoOptions | 'help';
  try {
    options = parseDemoArgs(args);
  } catch (err) {
    io.stderr(`bonding-agentx demo: ${err instanceof Error ? err.message : String(err)}\nTry 'bonding-agentx demo --help'.\n`);
    return EXIT_USAGE;
  }
  if (options === 'help') {
    io.stdout(DEMO_USAGE);
    return EXIT_OK;
  }
  const logger = pino({ level: options.logLevel, base: { name: 'bonding-agentx' } }, pino.destination({ fd: 2, sync: true }));
  let host: SimulatedHost | undefined;
  let receiver: NotificationReceiver | undefined;
  let service: BondingService | undefined;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  try {
    host = await SimulatedHost.create(FIXTURE);
    receiver = await startNotificationReceiver(
      COMMUNITY,
      (varbinds) => io.stdout(`${formatNotification(varbinds, new Date())}\n`),
      (err) => logger.warn({ err }, 'notification receiver'),
    );
    const frontEnd = new StandaloneFrontEnd({
      listen: { transport: 'udp4', host: '127.0.0.1', port: options.port },
      security: {
        communities: [COMMUNITY],
        users: [],
        trapTargets: [{ address: { transport: 'udp4', host: '127.0.0.1', port: receiver.port }, community: COMMUNITY }],
        engineId: defaultEngineId(),
      },
      logger: logger.child({ component: 'standalone' }),
      version: packageVersion(),
    });
    // No netlink here: the simulated links exist only as files, so a short poll sees them change.
    service = new BondingService({ roots: host.roots, pollIntervalMs: 200, linkEvents: false, logger, frontEnd });
    await service.start();

    const mibs = [join(PACKAGE_ROOT, 'mibs'), netSnmpMibDir()].filter((d): d is string => d !== undefined).join(':');
    io.stdout(
      [
        `bonding-agentx demo: a simulated bonding host (bond0 active-backup, bond1 balance-rr, bond2 802.3ad)`,
        `  files: ${host.dir}`,
        `  agent: udp:127.0.0.1:${options.port}, SNMPv2c community "${COMMUNITY}"; notifications to udp:127.0.0.1:${receiver.port}, printed below`,
        ``,
        `Try, in another terminal (Net-SNMP's tools):`,
        `  snmpwalk -v2c -c ${COMMUNITY} -M +${mibs} -m LINUX-BONDING-MIB:IF-MIB 127.0.0.1:${options.port} LINUX-BONDING-MIB::linuxBondingMIB`,
        `  snmptable -v2c -c ${COMMUNITY} -M +${mibs} -m LINUX-BONDING-MIB:IF-MIB -Ci 127.0.0.1:${options.port} LINUX-BONDING-MIB::bondSlaveTable`,
        `  snmpwalk -v2c -c ${COMMUNITY} -M +${mibs} -m LINUX-BONDING-MIB:IF-MIB 127.0.0.1:${options.port} IF-MIB::ifDescr`,
        ``,
        `A link changes every ${options.intervalMs / 1000} s. Ctrl-C to stop.`,
        ``,
      ].join('\n'),
    );

    let step = 0;
    const simulatedHost = host;
    timer = setInterval(() => {
      // A step still writing (a slow disk, a tiny --interval) is not overlapped by the next.
      if (inFlight !== undefined) return;
      const next = DEMO_SCHEDULE[step % DEMO_SCHEDULE.length]!;
      step++;
      io.stdout(`${clock(new Date())}  -- ${next.say}\n`);
      inFlight = (async () => {
        for (const change of next.changes) await simulatedHost.apply(change);
      })()
        .catch((err: unknown) => logger.error({ err }, 'simulated link change failed'))
        .finally(() => {
          inFlight = undefined;
        });
    }, options.intervalMs);

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    io.stdout(`\n${signal}: stopping\n`);
    return EXIT_OK;
  } catch (err) {
    io.stderr(`bonding-agentx demo: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILURE;
  } finally {
    if (timer !== undefined) clearInterval(timer);
    await inFlight;
    await service?.stop().catch(() => undefined);
    await receiver?.close().catch(() => undefined);
    if (host !== undefined) {
      await host.remove();
      io.stdout(`removed ${host.dir}\n`);
    }
    logger.flush();
  }
}
