/** `bonding-agentx run`: serve LINUX-BONDING-MIB through the host's snmpd and send notifications. */
import { parseArgs } from 'node:util';
import { pino, type Logger } from 'pino';
import { DEFAULT_MASTER_ADDRESS, parseMasterAddress } from '../agentx/index.js';
import { DEFAULT_ROOTS, type Roots } from '../bonding/index.js';
import { AgentXFrontEnd } from './agentx-front-end.js';
import { BondingService } from './bonding-service.js';
import { missingRoot } from './roots-check.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CommandIo } from './command-io.js';
import type { FrontEnd } from './front-end.js';
import { packageVersion } from './package-version.js';
import { StandaloneFrontEnd } from './standalone-front-end.js';
import { standaloneSetup, StandaloneSetupError, type StandaloneFlags, type StandaloneSetup } from './standalone-options.js';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const RUN_USAGE = `Usage: bonding-agentx run [options]

Serve LINUX-BONDING-MIB through the host's snmpd (AgentX master), or without
snmpd with --standalone (an embedded SNMPv2c/SNMPv3 agent), and send a
notification when a slave fails or recovers, the bond fails over, goes down or
comes back up, or an 802.3ad slave leaves the active aggregator.

Options:
  --agentx-socket ADDR   the master's address in snmpd's agentXSocket syntax:
                         PATH or unix:PATH, tcp:HOST:PORT
                         (default ${DEFAULT_MASTER_ADDRESS})
  --sysfs DIR            sysfs root to read (default ${DEFAULT_ROOTS.sysfs})
  --procfs DIR           procfs root to read (default ${DEFAULT_ROOTS.procfs})
  --poll-interval SEC    period of the check behind link events: bonds whose
                         /proc/net/bonding file changed are re-read, everything
                         every sixth time (default 5; decimals allowed)
  --no-link-events       do not follow rtnetlink link events ('ip monitor link');
                         changes are then seen at the next poll only
  --ping-interval SEC    AgentX keep-alive ping period, 0 for none (default 15)
  --log-level LEVEL      ${LEVELS.join(', ')} (default info)
  -h, --help             show this help

Standalone (an embedded SNMP agent instead of snmpd; no AgentX):
  --standalone ADDR      serve on ADDR: udp:HOST:PORT or udp6:[HOST]:PORT, an
                         IP literal (e.g. udp:127.0.0.1:1161); also serves the
                         system group and IF-MIB ifIndex, ifDescr, ifType,
                         ifOperStatus and ifName of bonds and slaves
  --standalone-allow-remote
                         allow ADDR off loopback (refused otherwise)
  --community NAME       SNMPv2c read-only community (repeatable); no default:
                         a community or an SNMPv3 user is required
  --config FILE          JSON: {"communities": [..], "users": [{"name",
                         "authProtocol": "sha256", "authKey", "privProtocol":
                         "aes", "privKey"}], "trapTargets": [{"address":
                         "udp:HOST:PORT", "community" | "user"}], "engineId"}
  --trap-target ADDR     send SNMPv2c notifications to ADDR (HOST:PORT,
                         port 162 by default; repeatable)
  --trap-community NAME  community of --trap-target (default: the first one)
  SNMPv1 is not served; every SET is refused (notWritable).

Logs are JSON lines on stdout (pipe them through pino-pretty to read them):
one line per notification, per AgentX (re)connection and per warning about a
kernel file. The agent keeps retrying a master that is not there yet, with
backoff, and says so in the log. SIGTERM or SIGINT stop it (exit 0); SIGHUP
re-reads everything at once.

Exit status: 0 stopped by a signal, 1 failed, 2 bad usage or configuration.
`;

interface RunOptions {
  readonly master: string;
  /** Set when serving with the embedded agent instead of snmpd. */
  readonly standalone: StandaloneFlags | undefined;
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
        standalone: { type: 'string' },
        'standalone-allow-remote': { type: 'boolean' },
        community: { type: 'string', multiple: true },
        config: { type: 'string' },
        'trap-target': { type: 'string', multiple: true },
        'trap-community': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return 'help';
  const standaloneOnly = ['standalone-allow-remote', 'community', 'config', 'trap-target', 'trap-community'] as const;
  if (values.standalone === undefined) {
    const stray = standaloneOnly.find((flag) => values[flag] !== undefined);
    if (stray !== undefined) throw new UsageError(`--${stray} goes with --standalone`);
  } else {
    const stray = (['agentx-socket', 'ping-interval'] as const).find((flag) => values[flag] !== undefined);
    if (stray !== undefined) throw new UsageError(`--${stray} is for snmpd (AgentX), not --standalone`);
  }
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
    standalone:
      values.standalone === undefined
        ? undefined
        : {
            listen: values.standalone,
            allowRemote: values['standalone-allow-remote'] === true,
            communities: values.community ?? [],
            configFile: values.config,
            trapTargets: values['trap-target'] ?? [],
            trapCommunity: values['trap-community'],
          },
    roots: { sysfs: values.sysfs ?? DEFAULT_ROOTS.sysfs, procfs: values.procfs ?? DEFAULT_ROOTS.procfs },
    pollIntervalMs: seconds('poll-interval', values['poll-interval'], 5, 0.05),
    linkEvents: values['no-link-events'] !== true,
    pingIntervalMs: seconds('ping-interval', values['ping-interval'], 15, 0),
    logLevel: logLevel as RunOptions['logLevel'],
  };
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
  let standalone: StandaloneSetup | undefined;
  if (options.standalone !== undefined) {
    try {
      standalone = await standaloneSetup(options.standalone);
    } catch (err) {
      if (!(err instanceof StandaloneSetupError)) throw err;
      io.stderr(`bonding-agentx run: ${err.message}\n`);
      return EXIT_USAGE;
    }
  }
  const logger = pino({ level: options.logLevel, base: { name: 'bonding-agentx' } });
  try {
    return await serve(options, standalone, logger);
  } catch (err) {
    logger.fatal({ err }, 'agent failed');
    io.stderr(`bonding-agentx run: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILURE;
  }
}

/** The composition root: picks the front end and runs the shared loop until a signal. */
async function serve(options: RunOptions, standalone: StandaloneSetup | undefined, logger: Logger): Promise<number> {
  const frontEnd: FrontEnd =
    standalone === undefined
      ? new AgentXFrontEnd({ master: options.master, pingIntervalMs: options.pingIntervalMs, logger: logger.child({ component: 'agentx' }) })
      : new StandaloneFrontEnd({ ...standalone, logger: logger.child({ component: 'standalone' }), version: packageVersion() });
  const service = new BondingService({
    roots: options.roots,
    pollIntervalMs: options.pollIntervalMs,
    linkEvents: options.linkEvents,
    logger,
    frontEnd,
  });
  await service.start();

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onHup = () => {
      logger.info({}, 'SIGHUP: re-reading everything');
      service.requestFull();
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
  await service.stop();
  logger.info({ counters: frontEnd.counters() }, 'stopped');
  logger.flush();
  return EXIT_OK;
}
