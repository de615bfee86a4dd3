/** `bonding-agentx run`: serve LINUX-BONDING-MIB through the host's snmpd and send notifications. */
import { pino } from 'pino';
import { DEFAULT_MASTER_ADDRESS, parseMasterAddress } from '../agentx/index.js';
import { bondsMissingFromProcfs, missingRoot } from '../bonding/index.js';
import { BondingService } from '../runtime/bonding-service.js';
import type { FrontEnd } from '../runtime/front-end.js';
import { DEFAULT_POLL_INTERVAL_MS, FULL_READ_INTERVAL_MS, FULL_READ_INTERVAL_WITHOUT_LINK_EVENTS_MS } from '../runtime/poller.js';
import type { Logger } from '../support/index.js';
import { packageVersion } from '../version.js';
import { AgentXFrontEnd } from './agentx-front-end.js';
import { EXIT_FAILURE, EXIT_OK, type CommandIo } from './command-io.js';
import {
  booleanFlag,
  ConfigurationError,
  listFlag,
  logLevelFlag,
  logLevelOf,
  ROOT_FLAGS,
  rootsOf,
  runWithFlags,
  secondsFlag,
  stringFlag,
  UsageError,
  type CommandSpec,
  type FlagValues,
} from './flags.js';
import { StandaloneFrontEnd } from './standalone-front-end.js';
import { DEFAULT_STATE_DIR, standaloneSetup, StandaloneSetupError, type StandaloneSetup } from './standalone-options.js';

const STANDALONE = 'Standalone (an embedded SNMP agent instead of snmpd; no AgentX)';

export const RUN: CommandSpec = {
  name: 'run',
  synopsis: '[options]',
  description:
    "Serve LINUX-BONDING-MIB, and the standard tables NMSes read bonds from (IF-MIB ifStackTable, IEEE8023-LAG-MIB), " +
    "through the host's snmpd (AgentX master), or without snmpd with --standalone (an embedded SNMPv2c/SNMPv3 agent), " +
    'and send a notification when a slave fails or recovers, the bond fails over, goes down or comes back up, an 802.3ad ' +
    'slave leaves the active aggregator or comes back, a slave is added or removed, a bond is created or deleted.',
  flags: [
    {
      name: 'agentx-socket',
      type: 'string',
      arg: 'ADDR',
      help: `the master's address in snmpd's agentXSocket syntax: PATH or unix:PATH, tcp:HOST:PORT (default ${DEFAULT_MASTER_ADDRESS})`,
    },
    ...ROOT_FLAGS,
    {
      name: 'poll-interval',
      type: 'string',
      arg: 'SEC',
      help:
        "period of the check behind link events, for what rtnetlink does not announce (an 802.3ad aggregator change, an ARP " +
        "monitor's verdict): each bond's /proc/net/bonding file is compared with the last one and a bond whose file changed " +
        `is re-read; everything is re-read every ${FULL_READ_INTERVAL_MS / 1000} s (every ` +
        `${FULL_READ_INTERVAL_WITHOUT_LINK_EVENTS_MS / 1000} s with --no-link-events; or every check, if longer) ` +
        `(default ${DEFAULT_POLL_INTERVAL_MS / 1000}; decimals allowed)`,
    },
    {
      name: 'no-link-events',
      type: 'boolean',
      help: "do not follow rtnetlink link events ('ip monitor link'); changes are then seen at the next poll only",
    },
    { name: 'ping-interval', type: 'string', arg: 'SEC', help: 'AgentX keep-alive ping period, 0 for none (default 15)' },
    {
      name: 'no-standard-mibs',
      type: 'boolean',
      help: 'serve LINUX-BONDING-MIB only: not IF-MIB ifStackTable and IEEE8023-LAG-MIB (registered with snmpd at priority 200, below another subagent that implements them)',
    },
    logLevelFlag('info'),
    {
      name: 'standalone',
      type: 'string',
      arg: 'ADDR',
      group: STANDALONE,
      help:
        'serve on ADDR: udp:HOST:PORT or udp6:[HOST]:PORT, an IP literal (e.g. udp:127.0.0.1:1161); also serves the system group ' +
        'with sysORTable, and IF-MIB ifIndex, ifDescr, ifType, ifOperStatus and ifName of every interface (those its ' +
        'ifStackTable names)',
    },
    { name: 'standalone-allow-remote', type: 'boolean', group: STANDALONE, help: 'allow ADDR off loopback (refused otherwise)' },
    {
      name: 'community',
      type: 'string',
      multiple: true,
      arg: 'NAME',
      group: STANDALONE,
      help: 'SNMPv2c read-only community (repeatable); no default: a community or an SNMPv3 user is required',
    },
    {
      name: 'config',
      type: 'string',
      arg: 'FILE',
      group: STANDALONE,
      help:
        'JSON: {"communities": [..], "users": [{"name", "authProtocol": "sha256", "authKey", "privProtocol": "aes", "privKey"}], ' +
        '"trapTargets": [{"address": "udp:HOST:PORT", "community" | "user"}], "engineId"}',
    },
    {
      name: 'trap-target',
      type: 'string',
      multiple: true,
      arg: 'ADDR',
      group: STANDALONE,
      help: 'send SNMPv2c notifications to ADDR (HOST:PORT, port 162 by default; repeatable)',
    },
    { name: 'trap-community', type: 'string', arg: 'NAME', group: STANDALONE, help: 'community of --trap-target (default: the first one)' },
    {
      name: 'state-dir',
      type: 'string',
      arg: 'DIR',
      group: STANDALONE,
      help:
        `where the SNMPv3 engine boots counter is kept across restarts: DIR/snmp-engine.json (default ${DEFAULT_STATE_DIR}, ` +
        "created if missing; under systemd, StateDirectory= makes it writable). It grows at every start, so that a captured " +
        'SNMPv3 request cannot be replayed after a restart. Not writable: a warning, and boots derived from the clock',
    },
  ],
  footer:
    'SNMPv1 is not served; every SET is refused (notWritable). An SNMPv3 request outside the time window of the ' +
    'engine (RFC 3414: another engine boots, or a time more than 150 s off ours: a replay) or for another engine ID ' +
    'gets a Report, never an answer; refusals are counted in the log.\n\n' +
    'Logs are JSON lines on stdout (pipe them through pino-pretty to read them): one line per notification, per AgentX ' +
    '(re)connection and per warning about a kernel file. The agent keeps retrying a master that is not there yet (on a ' +
    'unix socket at once when snmpd makes it again, at most 500 ms apart; over TCP with backoff), and says so in the log. SIGTERM or SIGINT stop it (exit 0); SIGHUP re-reads everything at once.\n\n' +
    'Exit status: 0 stopped by a signal, 1 failed, 2 bad usage or configuration.',
};

const STANDALONE_ONLY = ['standalone-allow-remote', 'community', 'config', 'trap-target', 'trap-community', 'state-dir'] as const;

/** Flags that only make sense together, checked before anything starts. */
function checkCombinations(values: FlagValues): void {
  if (values.standalone === undefined) {
    const stray = STANDALONE_ONLY.find((flag) => values[flag] !== undefined);
    if (stray !== undefined) throw new UsageError(`--${stray} goes with --standalone`);
  } else {
    const stray = (['agentx-socket', 'ping-interval'] as const).find((flag) => values[flag] !== undefined);
    if (stray !== undefined) throw new UsageError(`--${stray} is for snmpd (AgentX), not --standalone`);
  }
  try {
    parseMasterAddress(stringFlag(values, 'agentx-socket') ?? DEFAULT_MASTER_ADDRESS);
  } catch (err) {
    throw new UsageError(`--agentx-socket: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function runCommand(args: readonly string[], io: CommandIo): Promise<number> {
  return runWithFlags(RUN, args, io, async (values) => {
    checkCombinations(values);
    const roots = rootsOf(values);
    const pollIntervalMs = secondsFlag(values, 'poll-interval', DEFAULT_POLL_INTERVAL_MS / 1000, 0.05);
    const pingIntervalMs = secondsFlag(values, 'ping-interval', 15, 0);
    const level = logLevelOf(values, 'info');
    const problem = await missingRoot(roots);
    if (problem) throw new ConfigurationError(problem);
    const listen = stringFlag(values, 'standalone');
    let standalone: StandaloneSetup | undefined;
    if (listen !== undefined) {
      try {
        standalone = await standaloneSetup({
          listen,
          allowRemote: booleanFlag(values, 'standalone-allow-remote'),
          communities: listFlag(values, 'community'),
          configFile: stringFlag(values, 'config'),
          trapTargets: listFlag(values, 'trap-target'),
          trapCommunity: stringFlag(values, 'trap-community'),
          stateDir: stringFlag(values, 'state-dir'),
        });
      } catch (err) {
        if (err instanceof StandaloneSetupError) throw new ConfigurationError(err.message);
        throw err;
      }
    }
    const logger = pino({ level, base: { name: 'bonding-agentx' } });
    const hidden = bondsMissingFromProcfs(roots);
    if (hidden !== undefined) logger.warn({ procfs: roots.procfs }, hidden);
    const standardMibs = !booleanFlag(values, 'no-standard-mibs');
    const frontEnd: FrontEnd =
      standalone === undefined
        ? new AgentXFrontEnd({
            master: stringFlag(values, 'agentx-socket') ?? DEFAULT_MASTER_ADDRESS,
            pingIntervalMs,
            logger: logger.child({ component: 'agentx' }),
            standardMibs,
          })
        : new StandaloneFrontEnd({ ...standalone, logger: logger.child({ component: 'standalone' }), version: packageVersion(), standardMibs });
    try {
      const linkEvents = !booleanFlag(values, 'no-link-events');
      return await serve(new BondingService({ roots, pollIntervalMs, linkEvents, logger, frontEnd, standardMibs }), logger);
    } catch (err) {
      logger.fatal({ err }, 'agent failed');
      io.stderr(`bonding-agentx run: ${err instanceof Error ? err.message : String(err)}\n`);
      return EXIT_FAILURE;
    }
  });
}

/** Runs the shared loop until a signal; SIGHUP re-reads everything. */
async function serve(service: BondingService, logger: Logger & { flush(): void }): Promise<number> {
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
  logger.info({ counters: service.counters() }, 'stopped');
  logger.flush();
  return EXIT_OK;
}
