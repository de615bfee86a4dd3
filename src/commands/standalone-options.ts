import {
  isLoopback,
  readStandaloneConfig,
  parseUdpAddress,
  defaultEngineId,
  type StandaloneSecurity,
  type TrapTarget,
  type UdpAddress,
} from '../standalone/index.js';

/** The `run --standalone` flags as parsed, before the config file is read. */
export interface StandaloneFlags {
  readonly listen: string;
  readonly allowRemote: boolean;
  readonly communities: readonly string[];
  readonly configFile: string | undefined;
  readonly trapTargets: readonly string[];
  readonly trapCommunity: string | undefined;
  /** --state-dir; undefined: the default. */
  readonly stateDir: string | undefined;
}

/** Where the standalone agent keeps its snmpEngineBoots by default (what a systemd unit's StateDirectory=bonding-agentx gives). */
export const DEFAULT_STATE_DIR = '/var/lib/bonding-agentx';

export interface StandaloneSetup {
  readonly listen: UdpAddress;
  readonly security: StandaloneSecurity;
  readonly stateDir: string;
}

/** A problem with the flags or the config file: the message names the flag or field, never a secret. */
export class StandaloneSetupError extends Error {
  override name = 'StandaloneSetupError';
}

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Merges flags and the config file into what the embedded agent needs. Refuses
 * a listening address off loopback unless allowed, and an agent nobody could
 * read: there is no default community, as snmpd serves nothing without an
 * rocommunity or rouser line.
 */
export async function standaloneSetup(flags: StandaloneFlags): Promise<StandaloneSetup> {
  let listen: UdpAddress;
  try {
    listen = parseUdpAddress(flags.listen);
  } catch (err) {
    throw new StandaloneSetupError(`--standalone: ${reason(err)}`);
  }
  if (!isLoopback(listen) && !flags.allowRemote) {
    throw new StandaloneSetupError(
      `--standalone ${flags.listen} is not a loopback address: add --standalone-allow-remote to serve other hosts (prefer SNMPv3 authPriv then)`,
    );
  }
  let fromFile: StandaloneSecurity = { communities: [], users: [], trapTargets: [], engineId: defaultEngineId() };
  if (flags.configFile !== undefined) {
    try {
      fromFile = await readStandaloneConfig(flags.configFile);
    } catch (err) {
      throw new StandaloneSetupError(`--config: ${reason(err)}`);
    }
  }
  const communities = [...new Set([...fromFile.communities, ...flags.communities])];
  if (communities.length === 0 && fromFile.users.length === 0) {
    throw new StandaloneSetupError(
      '--standalone needs a credential: --community NAME, or --config FILE with "communities" or "users" (SNMPv3)',
    );
  }
  const trapCommunity = flags.trapCommunity ?? communities[0];
  const trapTargets: TrapTarget[] = [...fromFile.trapTargets];
  for (const text of flags.trapTargets) {
    if (trapCommunity === undefined) {
      throw new StandaloneSetupError('--trap-target sends SNMPv2c: give --trap-community or --community (v3 targets go in --config)');
    }
    try {
      trapTargets.push({ address: parseUdpAddress(text, 162), community: trapCommunity });
    } catch (err) {
      throw new StandaloneSetupError(`--trap-target: ${reason(err)}`);
    }
  }
  if (flags.stateDir === '') throw new StandaloneSetupError('--state-dir needs a directory');
  return { listen, security: { ...fromFile, communities, trapTargets }, stateDir: flags.stateDir ?? DEFAULT_STATE_DIR };
}
