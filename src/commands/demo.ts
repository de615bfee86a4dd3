/** `bonding-agentx demo`: a simulated bonding host served by the embedded agent, its notifications printed as they arrive. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { DEMO_SCHEDULE } from '../demo/schedule.js';
import { formatNotification } from '../demo/notification-text.js';
import { startNotificationReceiver, type NotificationReceiver } from '../demo/notification-receiver.js';
import { SimulatedHost } from '../demo/simulated-host.js';
import { defaultEngineId } from '../standalone/index.js';
import { BondingService } from '../runtime/bonding-service.js';
import { packageVersion } from '../version.js';
import { EXIT_FAILURE, EXIT_OK, type CommandIo } from './command-io.js';
import { logLevelFlag, logLevelOf, runWithFlags, secondsFlag, stringFlag, UsageError, type CommandSpec, type FlagValues } from './flags.js';
import { StandaloneFrontEnd } from './standalone-front-end.js';

const COMMUNITY = 'public';
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A real-kernel capture (Debian's 6.1 kernel) trimmed to three bonds: what the simulation starts from. */
const FIXTURE = join(PACKAGE_ROOT, 'examples', 'demo-host');

export const DEMO: CommandSpec = {
  name: 'demo',
  synopsis: '[options]',
  description:
    'Runs a simulated bonding host and serves it with the embedded SNMP agent, no snmpd and no bonds needed: a copy of a ' +
    'real-kernel capture (bond0 active-backup, bond1 balance-rr, bond2 802.3ad) in a temp dir whose links fail and recover ' +
    `on a schedule. The agent answers SNMPv2c (community "${COMMUNITY}") on udp:127.0.0.1:PORT and sends its notifications ` +
    'to a receiver in this process, which prints them as they arrive. Ctrl-C stops everything and removes the temp dir.',
  flags: [
    { name: 'port', type: 'string', arg: 'PORT', help: 'UDP port of the agent on 127.0.0.1 (default 1161)' },
    { name: 'interval', type: 'string', arg: 'SEC', help: 'seconds between link changes (default 4; decimals allowed)' },
    logLevelFlag('warn', "the agent's own log on stderr: "),
  ],
};

function portOf(values: FlagValues): number {
  const text = stringFlag(values, 'port') ?? '1161';
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new UsageError(`--port wants 1..65535, not ${JSON.stringify(text)}`);
  return port;
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

export function demoCommand(args: readonly string[], io: CommandIo): Promise<number> {
  return runWithFlags(DEMO, args, io, (values) =>
    demo({ port: portOf(values), intervalMs: secondsFlag(values, 'interval', 4, 0.2), logLevel: logLevelOf(values, 'warn') }, io),
  );
}

async function demo(options: { readonly port: number; readonly intervalMs: number; readonly logLevel: string }, io: CommandIo): Promise<number> {
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
