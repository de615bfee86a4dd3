// The scenario driver, run INSIDE the test VM by run-scenarios.sh with snmpd
// and snmptrapd already up: the agent (`bonding-agentx run` with its
// defaults: following link events, the periodic check every second, a full
// re-read every 2 minutes) against a real bonding driver, end to end.
// One long-lived process: under emulation every process start costs tens of
// milliseconds to seconds.
//
// Bonds in all seven modes (lib/scenario-topology.js), MII and ARP
// monitoring, a VLAN on top of bond0; each step changes something and checks
// that the notifications snmptrapd received are exactly the transitions that
// happened, in order (membership changes too: slaves enslaved and released,
// bonds created and deleted, worked out from the states the driver passes
// through, lib/stories.js), and that one walk of the agent's tables equals
// what the kernel shows: LINUX-BONDING-MIB, IF-MIB's ifStackTable and
// IEEE8023-LAG-MIB (lib/steps.js, lib/standard-tables.js). Latency: from the
// moment a link goes down to the notification in snmptrapd's log; and for
// what rtnetlink may not announce (an aggregator change, an ARP monitor's
// verdict), from the moment the test sees the driver decide (its own sysfs
// reads) to the notification, which must be within the poll interval plus
// half a second.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent } from './lib/agent.js';
import { checkIfMibAlignment } from './lib/if-mib.js';
import { readKernelBonds } from './lib/kernel-state.js';
import { setLinkUp, sleep, sysNet, waitFor } from './lib/net.js';
import { IpShell, mountNetnsSysfs } from './lib/netns.js';
import { told } from './lib/notifications.js';
import { deletionChain, possibleStories } from './lib/stories.js';
import { IF_STACK_STATUS, LAG_MIB, LINUX_BONDING_MIB, ourSysOrEntries, SYS_OR_DESCR, SYS_OR_ID } from './lib/standard-tables.js';
import {
  ARP_BOND,
  ARP_BRIDGE,
  LACP_BOND,
  OTHER_PARTNER_BOND,
  PARTNER_BOND,
  PARTNER_NETNS,
  SCENARIO_BONDS,
  SECOND_SPARE_SLAVE,
  SPARE_SLAVE,
  VLAN_BOND,
  VLAN_ID,
  bondCommands,
  createScenarioTopology,
  peerOf,
} from './lib/scenario-topology.js';
import { getMany, walkColumns } from './lib/snmp.js';
import { StepRunner } from './lib/steps.js';
import { ALL_COLUMNS, COMPARED_SCALARS, differences, expectedRows, servedModes } from './lib/tables.js';
import { TrapWatch } from './lib/trap-watch.js';

const env = (/** @type {string} */ name) => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set: run this through run-scenarios.sh`);
  return value;
};
const snmpdTarget = env('VM_SNMPD_TARGET');
const trapLog = env('VM_TRAP_LOG');
const scratch = env('VM_SCENARIO_DIR');
const resultsDir = process.env.VM_RESULTS ?? scratch;
/** Rounds of the repeated failure/recovery steps that feed the latency figures. */
const ROUNDS = Number(process.env.VM_ROUNDS ?? 4);
/** The agent's default periodic check (fingerprints). */
const POLL_INTERVAL_S = 1;
/**
 * After the last step: SIGHUP (the agent re-reads everything at once, as its
 * full re-read every 2 minutes would) and this long with nothing new.
 */
const QUIET_AFTER_REREAD_S = 3;
const COLD_START = '1.3.6.1.6.3.1.1.5.1';
const BOND_COUNT_INSTANCE = '1.3.6.1.4.1.8072.9999.9999.8023.1.1.2.0';
const started = performance.now();

/** Addresses on bonds, for the IP-MIB check. */
const ADDRESSES = new Map(
  SCENARIO_BONDS.filter((b) => b.address !== undefined).map((b) => [String(b.address).replace(/\/\d+$/, ''), b.name]),
);

// ---- the kernel, in the few words the steps need ----
const PARTNER_SYSFS = '/run/partner-sys';
/** Slaves whose switch port lives in the partner namespace. */
const PARTNER_SIDE = new Set(SCENARIO_BONDS.filter((b) => b.partner === true || b.name === ARP_BOND).flatMap((b) => b.slaves));
let partnerNet = '';
const mii = (/** @type {string} */ slave) => sysNet(slave, 'bonding_slave/mii_status');
const activeOf = (/** @type {string} */ bond) => sysNet(bond, 'bonding/active_slave') ?? '';
const failures = (/** @type {string} */ slave) => Number(sysNet(slave, 'bonding_slave/link_failure_count'));
const aggregatorOf = (/** @type {string} */ slave) => sysNet(slave, 'bonding_slave/ad_aggregator_id');
const bondAggregator = (/** @type {string} */ bond) => sysNet(bond, 'bonding/ad_aggregator');
/**
 * True once `condition` has held on every look for `ms`: LACP settles in
 * several moves, and a step must not end between two of them.
 * @param {() => boolean} condition
 * @param {number} ms
 * @returns {() => boolean}
 */
const steady = (condition, ms) => {
  let since = Number.NaN;
  return () => {
    if (!condition()) {
      since = Number.NaN;
      return false;
    }
    if (Number.isNaN(since)) since = performance.now();
    return performance.now() - since >= ms;
  };
};
/** bond2's slaves both in its active aggregator, links up. */
const aggregated = () =>
  ['eth4', 'eth5'].every((s) => mii(s) === 'up' && aggregatorOf(s) === bondAggregator(LACP_BOND));
/** A LACP step waits out a periodic check: the agent sees aggregator moves there when no link event comes with them. */
const LACP_QUIET_MS = (POLL_INTERVAL_S + 1) * 1000;
/**
 * eth5 (of bond2) seen outside the bond's active aggregator with its link up,
 * and (`back`) seen in it again after that: the driver's own decisions.
 * @param {boolean} back
 * @returns {() => boolean}
 */
const eth5Aggregator = (back) => {
  let away = false;
  return () => {
    const agg = aggregatorOf('eth5');
    const out = mii('eth5') === 'up' && agg !== undefined && agg !== 'N/A' && agg !== bondAggregator(LACP_BOND);
    away ||= out;
    return back ? away && !out && agg === bondAggregator(LACP_BOND) : out;
  };
};
/**
 * A bond as lib/stories.js models it, from the kernel's state (read now unless given).
 * @param {string} name
 * @param {readonly import('./lib/kernel-state.js').KernelBond[]} [bonds]
 * @returns {import('./lib/stories.js').BondState | undefined}
 */
const bondState = (name, bonds = readKernelBonds()) => {
  const b = bonds.find((x) => x.name === name);
  if (b === undefined) return undefined;
  return {
    name,
    ifIndex: b.ifIndex,
    mode: b.modeNumber,
    mii: b.miiStatus,
    active: b.activeSlave,
    slaves: b.slaves.map((s) => ({ name: s.name, ifIndex: s.ifIndex, mii: s.miiStatus })),
  };
};
/** @param {string} name @returns {import('./lib/stories.js').BondState} */
const mustState = (name) => {
  const state = bondState(name);
  if (state === undefined) throw new Error(`the kernel has no ${name}`);
  return state;
};
/** @param {string} name @param {string} bond @param {string} slave @returns {(t: import('./lib/notifications.js').Told) => boolean} */
const toldAs = (name, bond, slave) => (t) => t.name === name && t.bond === bond && t.slave === slave;
const eth5Left = () => ({ what: 'eth5 out of the aggregator', decided: eth5Aggregator(false), told: toldAs('bondSlaveAdAggregatorMismatch', LACP_BOND, 'eth5') });
const eth5Back = () => ({ what: 'eth5 back in the aggregator', decided: eth5Aggregator(true), told: toldAs('bondSlaveAdAggregatorMatch', LACP_BOND, 'eth5') });
/** @param {string} slave @param {boolean} up @returns {number} the moment of the change */
const setPort = (slave, up) => setLinkUp(peerOf(slave), up, PARTNER_SIDE.has(slave) ? partnerNet : undefined);
/** @param {string} bond @param {string} slave */
const otherSlave = (bond, slave) => {
  const other = SCENARIO_BONDS.find((b) => b.name === bond)?.slaves.find((s) => s !== slave);
  if (other === undefined) throw new Error(`${bond} has no slave besides ${slave}`);
  return other;
};

// ---- expected notifications ----
/** @typedef {import('./lib/notifications.js').Expected} Expected */
const down = (/** @type {string} */ bond, /** @type {string} */ slave) => ({ name: 'bondSlaveLinkDown', bond, slave });
const up = (/** @type {string} */ bond, /** @type {string} */ slave) => ({ name: 'bondSlaveLinkUp', bond, slave });
const changed = (/** @type {string} */ bond, /** @type {string} */ from, /** @type {string} */ to) => ({
  name: 'bondActiveSlaveChanged',
  bond,
  slave: `${from || 'none'}->${to || 'none'}`,
});
const bondDown = (/** @type {string} */ bond) => ({ name: 'bondLinkDown', bond });
const bondUp = (/** @type {string} */ bond) => ({ name: 'bondLinkUp', bond });
const mismatch = (/** @type {string} */ bond, /** @type {string} */ slave) => ({ name: 'bondSlaveAdAggregatorMismatch', bond, slave });
const match = (/** @type {string} */ bond, /** @type {string} */ slave) => ({ name: 'bondSlaveAdAggregatorMatch', bond, slave });
const optional = (/** @type {Expected} */ e) => ({ ...e, optional: true });
/** A flap may be told as it happened or inferred from the link failure count. */
const flapped = (/** @type {Expected} */ e) => ({ ...e, inferred: /** @type {const} */ ('any') });

// ---- setup ----
/** @type {{ name: string, ok: boolean, detail?: string, figures?: Record<string, number> }[]} */
const checks = [];
/**
 * @param {string} name
 * @param {() => Promise<Record<string, number> | void> | Record<string, number> | void} body
 */
async function check(name, body) {
  const t = performance.now();
  try {
    const figures = (await body()) ?? {};
    checks.push({ name, ok: true, figures: { ...figures, elapsedMs: Math.round(performance.now() - t) } });
    process.stdout.write(`ok   ${name} ${JSON.stringify(figures)}\n`);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    checks.push({ name, ok: false, detail });
    process.stdout.write(`FAIL ${name}: ${detail}\n`);
  }
}

const traps = new TrapWatch(trapLog);
await check('snmpd sent its coldStart to snmptrapd (trap2sink v2c)', async () => {
  await waitFor(() => traps.poll() >= 0 && traps.all.some((n) => n.trapOid === COLD_START), 30_000, 'coldStart at snmptrapd', 100);
});

await check('topology: eight bonds (seven modes, MII and ARP monitoring), settled', async () => {
  const t = performance.now();
  createScenarioTopology();
  partnerNet = mountNetnsSysfs(PARTNER_NETNS, PARTNER_SYSFS);
  // LACP needs a few exchanges, the ARP monitor a few intervals.
  await waitFor(
    () => {
      const bonds = readKernelBonds();
      const settled = bonds.every((b) => b.miiStatus === 'up' && b.slaves.every((s) => s.miiStatus === 'up'));
      const lacp = bonds.find((b) => b.name === LACP_BOND);
      const aggregated = lacp?.aggregatorId !== undefined && lacp.slaves.every((s) => s.aggregatorId === lacp.aggregatorId);
      return settled && aggregated && activeOf('bond0') === 'eth0' && activeOf(ARP_BOND) !== '';
    },
    60_000,
    'every bond and slave up, bond2 aggregated, bond0 on eth0',
    250,
  );
  return { setupMs: Math.round(performance.now() - t) };
});

const agent = new Agent({
  agentxSocket: env('VM_AGENTX_SOCKET'),
  logPath: join(scratch, 'agent.log'),
  args: ['--log-level', process.env.VM_AGENT_LOG_LEVEL ?? 'info'],
});
/**
 * What rtnetlink does not announce is found by the periodic check: its phase
 * alone can be a whole interval, then come a read of the fingerprints and
 * of the bond, and the way through snmpd to snmptrapd (a few hundred ms
 * under emulation).
 */
const DECISION_BOUND_MS = POLL_INTERVAL_S * 1000 + 500;
const runner = new StepRunner({ target: snmpdTarget, traps, agent, decisionBoundMs: DECISION_BOUND_MS });
const partnerIp = new IpShell(PARTNER_NETNS);
/** Commands the steps time in this namespace: a line to a running ip, no process start. */
const mainIp = new IpShell(undefined);

/** @type {Map<string, import('./lib/snmp.js').Varbind>} */
let firstWalk = new Map();
await check('the agent starts and serves every bond through snmpd', async () => {
  const t = performance.now();
  // Registered with snmpd: bondCount.0 answers.
  await waitFor(
    () => {
      agent.assertAlive();
      return getMany(snmpdTarget, [BOND_COUNT_INSTANCE]).get(BOND_COUNT_INSTANCE)?.type === 'Gauge32';
    },
    90_000,
    'the agent to register with snmpd',
    500,
  );
  const ready = performance.now() - t;
  // Every column once: the per-step walks read only the compared ones.
  firstWalk = walkColumns(snmpdTarget, COMPARED_SCALARS, ALL_COLUMNS);
  const walkMs = performance.now() - t - ready;
  const diffs = differences(firstWalk, expectedRows(readKernelBonds()));
  if (diffs.length > 0) throw new Error(`the first walk differs from the kernel:\n    ${diffs.join('\n    ')}`);
  const modes = servedModes(firstWalk);
  if (modes.size !== 7) throw new Error(`the walk serves modes ${[...modes].join(',')}, not all seven`);
  const ours = traps.all.map(told).filter((n) => n !== undefined);
  if (ours.length > 0) throw new Error(`notifications at startup: ${ours.map((n) => n.name).join(', ')}`);
  return { agentReadyMs: Math.round(ready), fullWalkMs: Math.round(walkMs), fullWalkVarbinds: firstWalk.size };
});

await check('IF-MIB ifDescr and IP-MIB ipAdEntIfIndex of the same snmpd agree with our indexes', () =>
  checkIfMibAlignment(snmpdTarget, firstWalk, ADDRESSES, 30_000),
);

await check('sysORTable lists LINUX-BONDING-MIB and IEEE8023-LAG-MIB (AgentX AddAgentCaps)', () => {
  const walked = walkColumns(snmpdTarget, [], [SYS_OR_ID, SYS_OR_DESCR], 20, ['-Ox']);
  const { found, missing } = ourSysOrEntries(walked);
  if (missing.length > 0) throw new Error(`sysORID has no ${missing.join(', ')}; it lists ${[...walked].filter(([o]) => o.startsWith(`${SYS_OR_ID}.`)).map(([, v]) => v.value).join(' ')}`);
  if (found.get(LAG_MIB) !== 'IEEE8023-LAG-MIB') throw new Error(`sysORDescr of ${LAG_MIB}: ${JSON.stringify(found.get(LAG_MIB))}`);
  if (!(found.get(LINUX_BONDING_MIB) ?? '').startsWith('LINUX-BONDING-MIB')) {
    throw new Error(`sysORDescr of ${LINUX_BONDING_MIB}: ${JSON.stringify(found.get(LINUX_BONDING_MIB))}`);
  }
  return { sysOREntries: [...walked.keys()].filter((o) => o.startsWith(`${SYS_OR_ID}.`)).length };
});

const vlanName = `${VLAN_BOND}.${VLAN_ID}`;
await check(`IF-MIB ifStackTable and IEEE8023-LAG-MIB equal the kernel's stacking (bonds over slaves, ${vlanName} over ${VLAN_BOND}) and aggregators`, async () => {
  const { standard } = await runner.walkMatchingKernel(3);
  // The topology must give the cases worth comparing: a VLAN over a bond, a bond over its slaves, an aggregator.
  const index = (/** @type {string} */ name) => sysNet(name, 'ifindex');
  const wanted = [
    [`${IF_STACK_STATUS}.${index(vlanName)}.${index(VLAN_BOND)}`, `${vlanName} over ${VLAN_BOND}`],
    [`${IF_STACK_STATUS}.0.${index(vlanName)}`, `nothing over ${vlanName}`],
    [`${IF_STACK_STATUS}.${index(LACP_BOND)}.${index('eth4')}`, `${LACP_BOND} over eth4`],
    [`${IF_STACK_STATUS}.${index('eth4')}.0`, 'nothing under eth4'],
    [`${LAG_MIB}.1.2.1.1.13.${index('eth5')}`, `eth5 attached to ${LACP_BOND}`],
  ];
  const absent = wanted.filter(([oid]) => standard.get(oid ?? '') === undefined).map(([, what]) => what);
  if (absent.length > 0) throw new Error(`not in the walk: ${absent.join('; ')}`);
  return {
    ifStackRows: [...standard.keys()].filter((o) => o.startsWith(`${IF_STACK_STATUS}.`)).length,
    lagValues: [...standard.keys()].filter((o) => o.startsWith(`${LAG_MIB}.`)).length,
  };
});

// ---- the steps ----
const MII_DELAYED = 'miimon 100, downdelay 200';
const MII = 'miimon 100';

/**
 * The active slave of an active-backup, tlb or alb bond fails; the other takes over.
 * @param {string} bond
 * @param {string} kind
 * @param {{ from: string }} [failed] receives the slave that failed
 * @param {number} [round]
 */
function activeFails(bond, kind, failed = { from: '' }, round = undefined) {
  let to = '';
  return {
    name: `${bond}: the active slave's link fails${round === undefined ? '' : ` (round ${round})`}`,
    kind,
    failure: true,
    act: () => {
      failed.from = activeOf(bond);
      to = otherSlave(bond, failed.from);
      return setPort(failed.from, false);
    },
    until: () => activeOf(bond) === to && mii(failed.from) === 'down',
    expect: () => [down(bond, failed.from), changed(bond, failed.from, to)],
  };
}

/**
 * The failed slave's link returns; `back` says whether the bond makes it active again.
 * @param {string} bond
 * @param {{ from: string }} failed
 * @param {boolean} back
 * @param {string} kind
 * @param {number} [round]
 */
function slaveReturns(bond, failed, back, kind, round = undefined) {
  let active = '';
  return {
    name: `${bond}: the failed slave's link returns${back ? ', it is active again' : ''}${round === undefined ? '' : ` (round ${round})`}`,
    kind,
    act: () => {
      active = activeOf(bond);
      return setPort(failed.from, true);
    },
    until: () => mii(failed.from) === 'up' && (!back || activeOf(bond) === failed.from),
    expect: () => (back ? [up(bond, failed.from), changed(bond, active, failed.from)] : [up(bond, failed.from)]),
  };
}

/**
 * Failover and return, as two steps.
 * @param {string} bond
 * @param {string} failKind
 * @param {string} returnKind
 * @param {boolean} back whether the bond returns to the slave (a primary with primary_reselect always)
 * @param {number} [round]
 */
function failover(bond, failKind, returnKind, back, round = undefined) {
  const failed = { from: '' };
  return [activeFails(bond, failKind, failed, round), slaveReturns(bond, failed, back, returnKind, round)];
}

/**
 * A slave that is not the active one fails (or returns); with `last`, the
 * bond loses (or regains) its last usable slave.
 * @param {string} bond
 * @param {string} slave
 * @param {boolean} isUp
 * @param {{ kind: string, last?: boolean, round?: number }} how
 */
function plainSlave(bond, slave, isUp, how) {
  const last = how.last === true;
  return {
    name: `${bond}: ${slave}'s link ${isUp ? 'returns' : 'fails'}${last ? (isUp ? ', the bond is up again' : ', the last one: the bond is down') : ''}${how.round === undefined ? '' : ` (round ${how.round})`}`,
    kind: how.kind,
    failure: !isUp,
    act: () => setPort(slave, isUp),
    until: () => mii(slave) === (isUp ? 'up' : 'down') && (!last || sysNet(bond, 'bonding/mii_status') === (isUp ? 'up' : 'down')),
    expect: isUp ? [up(bond, slave), ...(last ? [bondUp(bond)] : [])] : [down(bond, slave), ...(last ? [bondDown(bond)] : [])],
  };
}

/** @type {import('./lib/steps.js').Step[]} */
const steps = [
  // Active-backup over MII: failover and return to the primary (primary_reselect always).
  ...failover('bond0', `active slave fails (${MII_DELAYED})`, 'primary returns (updelay 200)', true),
  // A backup slave failing changes nothing else.
  plainSlave('bond0', 'eth1', false, { kind: `backup slave fails (${MII_DELAYED})` }),
  plainSlave('bond0', 'eth1', true, { kind: 'slave returns (updelay 200)' }),
  // Every slave failing, then one returning.
  activeFails('bond0', `active slave fails (${MII_DELAYED})`),
  {
    name: 'bond0: eth1, the last slave, fails: no active slave, the bond is down',
    kind: `last slave fails, bond down (${MII_DELAYED})`,
    failure: true,
    act: () => setPort('eth1', false),
    until: () => mii('eth1') === 'down' && activeOf('bond0') === '' && sysNet('bond0', 'bonding/mii_status') === 'down',
    // During downdelay the slave is "going down" but still active, and the
    // bond already has no carrier: a read then sees the bond down first.
    expect: {
      oneOf: [
        [down('bond0', 'eth1'), changed('bond0', 'eth1', ''), bondDown('bond0')],
        [down('bond0', 'eth1'), bondDown('bond0'), changed('bond0', 'eth1', '')],
      ],
    },
  },
  {
    name: 'bond0: eth1 returns: active again, the bond is up',
    kind: 'slave returns, bond up (updelay 200)',
    act: () => setPort('eth1', true),
    until: () => mii('eth1') === 'up' && activeOf('bond0') === 'eth1' && sysNet('bond0', 'bonding/mii_status') === 'up',
    expect: [up('bond0', 'eth1'), changed('bond0', '', 'eth1'), bondUp('bond0')],
  },
  slaveReturns('bond0', { from: 'eth0' }, true, 'primary returns (updelay 200)'),
  // balance-rr: both slaves fail, the bond goes down, one returns.
  plainSlave('bond1', 'eth2', false, { kind: `slave fails (${MII})` }),
  plainSlave('bond1', 'eth3', false, { kind: `last slave fails, bond down (${MII})`, last: true }),
  plainSlave('bond1', 'eth2', true, { kind: 'slave returns, bond up', last: true }),
  plainSlave('bond1', 'eth3', true, { kind: 'slave returns' }),
  // The other modes: balance-xor, broadcast (its only slave), balance-tlb, balance-alb.
  plainSlave('bond3', 'eth6', false, { kind: `slave fails (${MII})` }),
  plainSlave('bond3', 'eth6', true, { kind: 'slave returns' }),
  plainSlave('bond4', 'eth8', false, { kind: `last slave fails, bond down (${MII})`, last: true }),
  plainSlave('bond4', 'eth8', true, { kind: 'slave returns, bond up', last: true }),
  ...failover('bond5', `active slave fails (${MII})`, 'slave returns', false),
  ...failover('bond6', `active slave fails (${MII})`, 'slave returns', false),
];

// 802.3ad: the partner's port goes down (the veth peer: carrier lost) and comes back.
steps.push(
  {
    name: `${LACP_BOND} (802.3ad): the partner's port of eth5 goes down`,
    kind: `802.3ad port lost (${MII})`,
    failure: true,
    act: () => setPort('eth5', false),
    until: () => mii('eth5') === 'down',
    expect: [down(LACP_BOND, 'eth5')],
  },
  {
    name: `${LACP_BOND}: the partner's port comes back and eth5 rejoins the aggregator`,
    kind: 'slave returns',
    act: () => setPort('eth5', true),
    until: steady(aggregated, 1000),
    untilMs: 15_000,
    quietMs: LACP_QUIET_MS,
    // On its way back the port sits a moment in an aggregator of its own; a read may see it.
    expect: [up(LACP_BOND, 'eth5'), optional(mismatch(LACP_BOND, 'eth5')), optional(match(LACP_BOND, 'eth5'))],
    // Told or not, each told within a second of the driver's move.
    decisions: [eth5Left(), eth5Back()],
  },
);

// 802.3ad, carrier kept: the partner's port moves to another LACP bond (another system).
/** @param {boolean} away */
function partnerMoves(away) {
  let failuresBefore = 0;
  const to = away ? OTHER_PARTNER_BOND : PARTNER_BOND;
  return {
    name: away
      ? `${LACP_BOND}: eth5's partner port moves to another LACP partner: eth5 leaves the active aggregator, its link stays up`
      : `${LACP_BOND}: eth5's partner port moves back: eth5 rejoins the active aggregator`,
    kind: away ? 'aggregator mismatch (partner moved, link up)' : 'aggregator match',
    failure: away,
    act: () => {
      failuresBefore = failures('eth5');
      // One netlink request: released from one bond and enslaved to the other
      // in the same breath, so the carrier drop is too short for miimon, mostly.
      return partnerIp.run(`link set ${peerOf('eth5')} master ${to}`);
    },
    until: steady(() => {
      const agg = aggregatorOf('eth5');
      return mii('eth5') === 'up' && agg !== 'N/A' && (agg === bondAggregator(LACP_BOND)) !== away;
    }, 1000),
    untilMs: 15_000,
    timeoutMs: (POLL_INTERVAL_S + 5) * 1000,
    quietMs: LACP_QUIET_MS,
    expect: () => {
      const told = away ? mismatch(LACP_BOND, 'eth5') : match(LACP_BOND, 'eth5');
      if (failures('eth5') === failuresBefore) return [told];
      // miimon caught the carrier drop after all: the flap is told too, in whichever order the reads saw it.
      const flap = [flapped(down(LACP_BOND, 'eth5')), flapped(up(LACP_BOND, 'eth5'))];
      return { oneOf: [[...flap, told], [flap[0], told, flap[1]], [told, ...flap]] };
    },
    kernel: () => (aggregatorOf('eth4') === bondAggregator(LACP_BOND) ? undefined : `eth4 left the active aggregator (${aggregatorOf('eth4')})`),
    decisions: [away ? eth5Left() : eth5Back()],
    // The walk already equals the kernel; this says the case was there: eth5
    // outside (or back in) the only aggregator that has an ifIndex.
    after: (/** @type {unknown} */ _walked, /** @type {unknown} */ _bonds, /** @type {ReadonlyMap<string, import('./lib/snmp.js').Varbind>} */ standard) => {
      const attached = standard.get(`${LAG_MIB}.1.2.1.1.13.${sysNet('eth5', 'ifindex')}`)?.value;
      const want = away ? '0' : sysNet(LACP_BOND, 'ifindex');
      if (attached !== want) throw new Error(`dot3adAggPortAttachedAggID of eth5 is ${attached}, not ${want}`);
    },
  };
}
steps.push(partnerMoves(true), partnerMoves(false));

// Active-backup over ARP monitoring: the active slave's switch port leaves the
// bridge that answers for the targets; its carrier stays up.
{
  let from = '';
  let to = '';
  steps.push(
    {
      name: `${ARP_BOND} (ARP monitor, 1 s): the active slave's switch port leaves the bridge, the carrier stays up`,
      kind: 'active slave loses its ARP targets (arp_interval 1000)',
      failure: true,
      act: () => {
        from = activeOf(ARP_BOND);
        to = otherSlave(ARP_BOND, from);
        return partnerIp.run(`link set ${peerOf(from)} nomaster`);
      },
      until: () => activeOf(ARP_BOND) === to && mii(from) === 'down',
      expect: () => [down(ARP_BOND, from), changed(ARP_BOND, from, to)],
      kernel: () => (sysNet(from, 'carrier') === '1' ? undefined : `${from} lost its carrier`),
      decisions: [
        {
          what: 'the ARP monitor takes the active slave down',
          decided: () => mii(from) === 'down',
          told: (t) => t.name === 'bondSlaveLinkDown' && t.bond === ARP_BOND && t.slave === from,
        },
      ],
    },
    {
      name: `${ARP_BOND}: the port is back in the bridge, the slave is up again`,
      kind: 'slave returns (ARP)',
      act: () => partnerIp.run(`link set ${peerOf(from)} master ${ARP_BRIDGE}`),
      until: () => mii(from) === 'up',
      expect: () => [up(ARP_BOND, from)],
      decisions: [
        {
          what: 'the ARP monitor brings the slave up',
          decided: () => mii(from) === 'up',
          told: (t) => t.name === 'bondSlaveLinkUp' && t.bond === ARP_BOND && t.slave === from,
        },
      ],
    },
  );
}

// A slave enslaved and released at runtime. bond_enslave sets the new slave's
// link (miimon without updelay: up at once) before it lists it, and bond4
// (broadcast) is up already: exactly one notification each way, with the
// slave count after it.
{
  /** @type {import('./lib/stories.js').BondState | undefined} */
  let before;
  /** @param {boolean} enslave */
  const membership = (enslave) => ({
    name: `bond4: ${SPARE_SLAVE} is ${enslave ? 'enslaved' : 'released'} at runtime`,
    act: () => {
      before = mustState('bond4');
      const t = performance.now();
      writeFileSync('/sys/class/net/bond4/bonding/slaves', `${enslave ? '+' : '-'}${SPARE_SLAVE}\n`);
      return t;
    },
    until: () => (enslave ? mii(SPARE_SLAVE) === 'up' : mii(SPARE_SLAVE) === undefined),
    expect: (/** @type {readonly import('./lib/kernel-state.js').KernelBond[]} */ bonds) => possibleStories([before, bondState('bond4', bonds)]),
  });
  steps.push(membership(true), membership(false));
}

// The issue's capture, on a real kernel: an empty, down active-backup bond is
// turned into balance-alb and gets its first slave; then it is deleted.
{
  const BOND = 'bond8';
  const SLAVE = SECOND_SPARE_SLAVE;
  /** @type {import('./lib/stories.js').BondState | undefined} */
  let before;
  const mode = () => sysNet(BOND, 'bonding/mode') ?? '';
  steps.push(
    {
      name: `${BOND}: an empty active-backup bond is created (down, no slaves)`,
      // One netlink request: the bond is registered with its mode already set.
      act: () => mainIp.run(`link add ${BOND} type bond mode active-backup miimon 100`),
      until: () => mode().startsWith('active-backup'),
      expect: (bonds) => possibleStories([undefined, bondState(BOND, bonds)]),
      kernel: (bonds) => {
        const b = bondState(BOND, bonds);
        return b?.mii === 'down' && b.slaves.length === 0 ? undefined : `${BOND} is ${JSON.stringify(b)}`;
      },
    },
    {
      name: `${BOND}: its mode is set to balance-alb while it is down and empty: nothing to tell, bondMode follows`,
      act: () => mainIp.run(`link set ${BOND} type bond mode balance-alb`),
      until: () => mode().startsWith('balance-alb'),
      expect: [],
    },
    {
      name: `${BOND}: its first slave ${SLAVE} (peer up) is enslaved: it is the active slave, the bond is up`,
      act: () => {
        before = mustState(BOND);
        return mainIp.run(`link set ${SLAVE} master ${BOND}`);
      },
      until: () => activeOf(BOND) === SLAVE && sysNet(BOND, 'bonding/mii_status') === 'up',
      // bond_enslave lists the slave (its link up already: no updelay),
      // raises the bond's carrier, and only then picks the active slave: a
      // read between the last two sees the bond up with no active slave yet.
      expect: (bonds) => {
        const now = bondState(BOND, bonds);
        if (before === undefined || now === undefined) throw new Error(`${BOND} is gone`);
        const listed = { ...before, slaves: now.slaves };
        return possibleStories([before, listed, { ...listed, mii: 'up' }, now]);
      },
    },
    {
      name: `${BOND} is deleted: its slave released, then the bond`,
      act: () => {
        before = mustState(BOND);
        const t = performance.now();
        writeFileSync('/sys/class/net/bonding_masters', `-${BOND}\n`);
        return t;
      },
      until: () => sysNet(BOND, 'ifindex') === undefined,
      expect: () => {
        if (before === undefined) throw new Error(`no state of ${BOND} before`);
        return possibleStories(deletionChain(before));
      },
    },
  );
}

// Quick flaps, faster than a read: told as they happened or inferred from the
// link failure count, whichever the kernel shows; none lost.
for (let i = 1; i <= ROUNDS; i++) {
  let before = 0;
  steps.push({
    name: `bond1: eth2's link flaps (down ~50 ms, miimon 100, updelay 0) (${i})`,
    act: async () => {
      before = failures('eth2');
      const t = setPort('eth2', false);
      await sleep(50);
      setPort('eth2', true);
      // Let miimon have its look (two intervals) before judging what it saw.
      await sleep(250);
      return t;
    },
    until: () => mii('eth2') === 'up',
    expect: () => {
      const seen = failures('eth2') - before;
      if (seen === 0) return [];
      if (seen === 1) return [flapped(down('bond1', 'eth2')), flapped(up('bond1', 'eth2'))];
      throw new Error(`eth2 failed ${seen} times in one flap`);
    },
  });
}

// Rounds of failover and return, for the latency figures.
for (let r = 1; r <= ROUNDS; r++) {
  steps.push(
    ...failover('bond0', `active slave fails (${MII_DELAYED})`, 'primary returns (updelay 200)', true, r),
  );
}

// A bond deleted and created again: its rows leave, come back under its new
// ifindex; its VLAN goes with it and is made again with it.
{
  const bond0 = SCENARIO_BONDS.find((b) => b.name === 'bond0');
  if (bond0 === undefined) throw new Error('no bond0 in the topology');
  let oldIndex = '';
  /** @type {import('./lib/stories.js').BondState | undefined} */
  let before;
  steps.push(
    {
      name: `bond0 is deleted (and ${vlanName} on it)`,
      act: () => {
        before = mustState('bond0');
        oldIndex = String(before.ifIndex);
        const t = performance.now();
        writeFileSync('/sys/class/net/bonding_masters', '-bond0\n');
        return t;
      },
      until: () => sysNet('bond0', 'ifindex') === undefined && sysNet(vlanName, 'ifindex') === undefined,
      // The driver releases the slaves one by one before the bond goes: a
      // read in between sees it losing them, its active slave, its carrier.
      expect: () => {
        if (before === undefined) throw new Error('no state of bond0 before');
        return possibleStories(deletionChain(before));
      },
    },
    {
      name: `bond0 is created again (new ifindex), with its slaves, primary, address and ${vlanName}`,
      act: () => {
        const t = performance.now();
        execFileSync('ip', ['-batch', '-'], { input: `${bondCommands(bond0).join('\n')}\n` });
        return t;
      },
      until: () => activeOf('bond0') === 'eth0' && mii('eth1') === 'up' && sysNet('bond0', 'bonding/mii_status') === 'up',
      // Built a command at a time while the agent may read: the bond appears
      // empty and down; each slave is listed "going back" (bond_enslave with
      // updelay); once the bond is up, the monitor sets each up after
      // updelay, in one tick (both, then the primary made active, then the
      // carrier raised) or in two, eth0 first (eth0 up, made active, the
      // carrier raised; eth1 up a tick later: seen on this kernel).
      expect: (bonds) => {
        const now = bondState('bond0', bonds);
        if (now === undefined) throw new Error('bond0 is gone');
        /** @param {string} name @param {string} miiStatus */
        const slave = (name, miiStatus) => ({ name, ifIndex: now.slaves.find((x) => x.name === name)?.ifIndex ?? 0, mii: miiStatus });
        const empty = { ...now, mii: 'down', active: '', slaves: [] };
        const back = 'going back';
        const bothUp = [slave('eth0', 'up'), slave('eth1', 'up')];
        const eth0Up = [slave('eth0', 'up'), slave('eth1', back)];
        const listed = [
          undefined,
          empty,
          { ...empty, slaves: [slave('eth0', back)] },
          { ...empty, slaves: [slave('eth0', back), slave('eth1', back)] },
          { ...empty, slaves: eth0Up },
        ];
        return possibleStories(
          [...listed, { ...empty, slaves: bothUp }, { ...empty, slaves: bothUp, active: 'eth0' }, now],
          [...listed, { ...empty, slaves: eth0Up, active: 'eth0' }, { ...empty, slaves: eth0Up, active: 'eth0', mii: 'up' }, now],
        );
      },
      kernel: () => (sysNet('bond0', 'ifindex') !== oldIndex ? undefined : `bond0 kept ifindex ${oldIndex}`),
      after: async (walked) => {
        await checkIfMibAlignment(snmpdTarget, walked, ADDRESSES, 30_000);
      },
    },
    ...failover('bond0', `active slave fails (${MII_DELAYED})`, 'primary returns (updelay 200)', true),
  );
}

if (checks.every((c) => c.ok)) {
  for (const step of steps) await runner.run(step);
} else {
  process.stdout.write('setup failed: no steps run\n');
}

// ---- the end: nothing more arrives, the log agrees, the agent stops cleanly ----
// The agent's full re-read (every 2 minutes) is the safety net for anything
// missed: SIGHUP makes it happen now, and it must find nothing left to tell.
await check(`SIGHUP (re-read everything): nothing more arrives within ${QUIET_AFTER_REREAD_S} s`, async () => {
  await agent.reread();
  await sleep(QUIET_AFTER_REREAD_S * 1000);
  const late = runner.ours().slice(runner.cursor);
  if (late.length > 0) throw new Error(`late notifications: ${late.map((n) => `${n.name} ${n.bond} ${n.slave ?? ''}`).join(', ')}`);
});

await check('every column again, ifStackTable and LAG-MIB too: the kernel\'s state', async () => {
  const walked = walkColumns(snmpdTarget, COMPARED_SCALARS, ALL_COLUMNS);
  const diffs = differences(walked, expectedRows(readKernelBonds()));
  if (diffs.length > 0) throw new Error(diffs.join('\n    '));
  const { standardRows } = await runner.walkMatchingKernel(3);
  return { varbinds: walked.size, standardValues: standardRows };
});

await check('the agent logged one line per notification sent, and no errors', () => {
  const log = agent.log();
  const sent = log.filter((l) => l.msg === 'notification sent').map((l) => String(l.notification));
  const received = runner.ours().map((n) => n.name);
  if (sent.join(' ') !== received.join(' ')) {
    throw new Error(`sent ${sent.length} (${sent.join(' ')}), received ${received.length} (${received.join(' ')})`);
  }
  const bad = log.filter((l) => l.level >= 40).map((l) => `${l.msg} ${JSON.stringify(l)}`);
  if (bad.length > 0) throw new Error(`warnings or errors in the agent's log:\n    ${bad.join('\n    ')}`);
  return { notifications: sent.length };
});

await check('the agent stops on SIGTERM with status 0', async () => {
  const code = await agent.stop();
  if (code !== 0) throw new Error(`exit status ${code}`);
});
traps.close();
await partnerIp.close();
await mainIp.close();

// ---- figures ----
/** @param {readonly number[]} values @param {number} p */
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
};
/** @type {Map<string, { failure: boolean, trap: number[], sent: number[] }>} */
const byKind = new Map();
for (const r of runner.results) {
  if (!r.ok || r.kind === undefined || r.latencyMs === undefined) continue;
  const entry = byKind.get(r.kind) ?? { failure: r.failure, trap: [], sent: [] };
  entry.trap.push(r.latencyMs);
  if (r.got[0]?.agentMs !== undefined) entry.sent.push(r.got[0].agentMs);
  byKind.set(r.kind, entry);
}
const rows = [...byKind].map(([kind, e]) => ({
  kind,
  failure: e.failure,
  n: e.trap.length,
  medianMs: percentile(e.trap, 50),
  p99Ms: percentile(e.trap, 99),
  maxMs: Math.max(...e.trap),
  agentSentMedianMs: e.sent.length > 0 ? percentile(e.sent, 50) : undefined,
}));
const failureLatencies = [...byKind.values()].filter((e) => e.failure).flatMap((e) => e.trap);
const summary = {
  n: failureLatencies.length,
  medianMs: percentile(failureLatencies, 50),
  p99Ms: percentile(failureLatencies, 99),
};
const pad = (/** @type {unknown} */ v, /** @type {number} */ n) => String(v ?? '-').padStart(n);
process.stdout.write(
  `\nLatency, link change -> notification in snmptrapd's log (first notification of the step), ms:\n` +
    `${'kind'.padEnd(58)} ${pad('n', 3)} ${pad('median', 7)} ${pad('p99', 7)} ${pad('max', 7)} ${pad('sent', 7)}\n` +
    rows.map((r) => `${r.kind.padEnd(58)} ${pad(r.n, 3)} ${pad(r.medianMs, 7)} ${pad(r.p99Ms, 7)} ${pad(r.maxMs, 7)} ${pad(r.agentSentMedianMs, 7)}`).join('\n') +
    `\n${'all failure steps'.padEnd(58)} ${pad(summary.n, 3)} ${pad(summary.medianMs, 7)} ${pad(summary.p99Ms, 7)}\n` +
    `("sent": median of the agent's own log time of sending, from the same moment)\n`,
);

/** @type {Map<string, number[]>} */
const byDecision = new Map();
for (const r of runner.results) for (const d of r.decisions) byDecision.set(d.what, [...(byDecision.get(d.what) ?? []), d.latencyMs]);
const decisionRows = [...byDecision].map(([what, ms]) => ({ what, n: ms.length, medianMs: percentile(ms, 50), maxMs: Math.max(...ms) }));
process.stdout.write(
  `\nWhat rtnetlink may not announce: the kernel's decision (seen by the test's own reads, every 25 ms) -> notification in snmptrapd's log, ms (bound ${DECISION_BOUND_MS}):\n` +
    `${'decision'.padEnd(58)} ${pad('n', 3)} ${pad('median', 7)} ${pad('max', 7)}\n` +
    decisionRows.map((r) => `${r.what.padEnd(58)} ${pad(r.n, 3)} ${pad(r.medianMs, 7)} ${pad(r.maxMs, 7)}`).join('\n') +
    '\n',
);

const failedSteps = runner.results.filter((r) => !r.ok);
const result = {
  kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
  ok: checks.every((c) => c.ok) && failedSteps.length === 0,
  wallMs: Math.round(performance.now() - started),
  latency: { byKind: rows, failureSteps: summary, decisions: decisionRows },
  checks,
  steps: runner.results,
};
writeFileSync(join(resultsDir, 'scenarios.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(
  `\n${runner.results.length - failedSteps.length}/${runner.results.length} steps and ` +
    `${checks.filter((c) => c.ok).length}/${checks.length} checks passed in ${(result.wallMs / 1000).toFixed(1)} s\n`,
);
for (const f of failedSteps) process.stdout.write(`FAILED: ${f.name}\n    ${f.detail}\n`);
for (const c of checks.filter((x) => !x.ok)) process.stdout.write(`FAILED: ${c.name}\n    ${c.detail}\n`);
process.exitCode = result.ok ? 0 : 1;
