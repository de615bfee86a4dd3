// Runs one scenario step against the live agent and checks it three ways:
// the notifications snmptrapd received since the step began are exactly the
// expected ones, in order; every notification names the bond and slave by
// the kernel's ifindexes and carries the kernel's link failure count; one
// walk of the agent's tables (LINUX-BONDING-MIB, and the standard ones:
// IF-MIB ifStackTable, IEEE8023-LAG-MIB) equals the kernel state read
// independently.
import { kernelKey, readKernelBonds } from './kernel-state.js';
import { sleep } from './net.js';
import { describe, describeList, matches, required, told } from './notifications.js';
import { walkColumns } from './snmp.js';
import { expectedStandardRows, macOf, readKernelInterfaces, STANDARD_WALK, standardDifferences } from './standard-tables.js';
import { COMPARED_COLUMNS, COMPARED_SCALARS, differences, expectedRows } from './tables.js';

/**
 * @typedef {import('./notifications.js').ExpectedList} ExpectedList
 * @typedef {import('./notifications.js').Told} Told
 * @typedef {import('./kernel-state.js').KernelBond} KernelBond
 * @typedef {import('./snmp.js').Varbind} Varbind
 * @typedef {{
 *   readonly name: string,
 *   readonly kind?: string,
 *   readonly failure?: boolean,
 *   readonly act: () => number | Promise<number>,
 *   readonly until?: () => boolean,
 *   readonly untilMs?: number,
 *   readonly expect: ExpectedList | ((bonds: readonly KernelBond[]) => ExpectedList),
 *   readonly kernel?: (bonds: readonly KernelBond[]) => string | undefined,
 *   readonly timeoutMs?: number,
 *   readonly quietMs?: number,
 *   readonly after?: (walked: ReadonlyMap<string, Varbind>, bonds: readonly KernelBond[],
 *     standard: ReadonlyMap<string, Varbind>) => void | Promise<void>,
 *   readonly decisions?: readonly Decision[],
 * }} Step
 *   act: makes the change, returns performance.now() of the moment it was made;
 *   until: the kernel state to wait for before judging (bounded by untilMs; keep it to a few
 *     sysfs reads: it is polled);
 *   expect: the notifications, or a function of the kernel state once `until` holds;
 *   kernel: a complaint when the kernel did not do what the step assumes;
 *   kind/failure: the latency figures' category, and whether it is a failure (vs a recovery)
 *   decisions: decisions of the driver that rtnetlink may not announce, each to be told within
 *     the runner's decisionBoundMs of the moment the test saw the kernel make it
 * @typedef {{
 *   readonly what: string,
 *   readonly decided: () => boolean,
 *   readonly told: (t: Told) => boolean,
 * }} Decision
 *   decided: true once the kernel has made the decision (read from sysfs/procfs by the test; polled
 *     every DECISION_POLL_MS from the step's change, so keep it to a file or two; it may keep state,
 *     e.g. to see a return only after a departure);
 *   told: the notification that tells it (the first such of the step counts)
 * @typedef {{ what: string, latencyMs: number }} DecisionLatency
 *   latencyMs: from the first look at which the kernel had decided to the notification in snmptrapd's log
 * @typedef {{ text: string, atMs: number, agentMs: number | undefined, inferred: boolean }} ToldAt
 * @typedef {{ name: string, kind: string | undefined, failure: boolean, ok: boolean, detail?: string,
 *   expected: string, got: ToldAt[], latencyMs: number | undefined, walks: number, ms: number,
 *   decisions: DecisionLatency[], standardRows?: number, walkMs?: { bonding: number, standard: number } }} StepResult
 *   standardRows: ifStackTable and LAG-MIB values compared; walkMs: the last walk of each, ms
 */

const round = (/** @type {number} */ ms) => Math.round(ms * 10) / 10;
/** How often the test looks whether the kernel has decided: the figures may flatter the agent by up to this (plus a file read). */
const DECISION_POLL_MS = 25;

export class StepRunner {
  /**
   * @param {{ readonly target: string, readonly traps: import('./trap-watch.js').TrapWatch,
   *   readonly agent: import('./agent.js').Agent, readonly decisionBoundMs?: number }} options
   *   decisionBoundMs: how soon a step's decisions must be told (default 1000)
   */
  constructor(options) {
    this.target = options.target;
    this.decisionBoundMs = options.decisionBoundMs ?? 1000;
    this.traps = options.traps;
    this.agent = options.agent;
    /** @type {StepResult[]} */
    this.results = [];
    /** How many of ours earlier steps accounted for: one arriving between steps counts in the next. */
    this.cursor = this.ours().length;
  }

  /** @returns {Told[]} every notification of ours snmptrapd has logged so far */
  ours() {
    this.traps.poll();
    return this.traps.all.map(told).filter((t) => t !== undefined);
  }

  /**
   * Walks until the agent's tables equal the kernel's state, read just
   * after each walk: LINUX-BONDING-MIB's compared columns, and IF-MIB's
   * ifStackTable and IEEE8023-LAG-MIB (octet strings read in hex).
   * @param {number} attempts walks allowed (the kernel may move between a walk and the read after it)
   * @returns {Promise<{ walked: Map<string, Varbind>, standard: Map<string, Varbind>, bonds: KernelBond[], walks: number,
   *   standardRows: number, bondingWalkMs: number, standardWalkMs: number }>}
   */
  async walkMatchingKernel(attempts) {
    let walks = 0;
    /** @type {string[]} */
    let diffs = [];
    for (;;) {
      const t0 = performance.now();
      const walked = walkColumns(this.target, COMPARED_SCALARS, COMPARED_COLUMNS);
      const t1 = performance.now();
      const standard = walkColumns(this.target, [], STANDARD_WALK, 100, ['-Ox']);
      const timing = { bondingWalkMs: round(t1 - t0), standardWalkMs: round(performance.now() - t1) };
      walks++;
      const bonds = readKernelBonds();
      const interfaces = readKernelInterfaces();
      const macs = new Map(bonds.filter((b) => b.mode === '802.3ad').map((b) => [b.name, macOf(b.name)]));
      const expectedStandard = expectedStandardRows(interfaces, bonds, macs);
      diffs = [...differences(walked, expectedRows(bonds)), ...standardDifferences(standard, expectedStandard)];
      if (diffs.length === 0) return { walked, standard, bonds, walks, standardRows: expectedStandard.size, ...timing };
      if (walks >= attempts) break;
      await sleep(300);
    }
    throw new Error(`the agent's tables differ from the kernel after ${walks} walk(s):\n    ${diffs.join('\n    ')}`);
  }

  /**
   * @param {Step} step
   * @returns {Promise<StepResult>}
   */
  async run(step) {
    const before = this.cursor;
    /** @type {StepResult} */
    const result = {
      name: step.name,
      kind: step.kind,
      failure: step.failure ?? false,
      ok: false,
      expected: '',
      got: [],
      latencyMs: undefined,
      walks: 0,
      ms: 0,
      decisions: [],
    };
    const stepStarted = performance.now();
    let t0 = performance.now();
    /** @type {(Decision & { at?: number })[]} */
    const decisions = (step.decisions ?? []).map((d) => ({ ...d }));
    /** @type {NodeJS.Timeout | undefined} */
    let decisionTimer;
    try {
      this.agent.assertAlive();
      t0 = await step.act();
      if (decisions.length > 0) {
        const look = () => {
          const at = performance.now();
          for (const d of decisions) if (d.at === undefined && d.decided()) d.at = at;
        };
        look();
        decisionTimer = setInterval(look, DECISION_POLL_MS);
      }
      if (step.until !== undefined) {
        const deadline = performance.now() + (step.untilMs ?? 10_000);
        while (!step.until()) {
          if (performance.now() > deadline) {
            throw new Error(`the kernel did not get there in ${step.untilMs ?? 10_000} ms: ${kernelKey(readKernelBonds())}`);
          }
          await sleep(25);
        }
      }
      const expected = typeof step.expect === 'function' ? step.expect(readKernelBonds()) : step.expect;
      result.expected = describeList(expected);

      const need = required(expected);
      const deadline = performance.now() + (step.timeoutMs ?? 10_000);
      while (this.ours().length - before < need && performance.now() < deadline) await sleep(5);
      // Then nothing more may come: wait until the log has been quiet a while.
      const quietMs = step.quietMs ?? 800;
      let count = this.ours().length;
      let quietSince = performance.now();
      while (performance.now() - quietSince < quietMs && performance.now() < deadline + 10_000) {
        await sleep(20);
        const now = this.ours().length;
        if (now !== count) {
          count = now;
          quietSince = performance.now();
        }
      }
      const got = this.ours().slice(before);
      this.cursor = before + got.length;
      result.got = this.timings(got, before, t0);
      result.latencyMs = result.got[0]?.atMs;
      if (!matches(got, expected)) {
        throw new Error(
          `notifications differ:\n    expected: ${result.expected}\n    received: ${got.map(describe).join(' | ') || '(none)'}`,
        );
      }
      clearInterval(decisionTimer);
      const late = [];
      for (const d of decisions) {
        const first = got.find(d.told);
        if (first === undefined) continue; // not told: the expected list says whether it had to be
        if (d.at === undefined) throw new Error(`${describe(first)} told, but the test never saw the kernel decide (${d.what})`);
        const latencyMs = round(first.arrivedAt - d.at);
        result.decisions.push({ what: d.what, latencyMs });
        if (latencyMs > this.decisionBoundMs) late.push(`${d.what}: told ${latencyMs} ms after the kernel decided`);
      }
      if (late.length > 0) throw new Error(`later than ${this.decisionBoundMs} ms after the kernel's decision: ${late.join('; ')}`);

      const { walked, standard, bonds: after, walks, standardRows, bondingWalkMs, standardWalkMs } = await this.walkMatchingKernel(need > 0 ? 2 : 8);
      result.walks = walks;
      result.standardRows = standardRows;
      result.walkMs = { bonding: bondingWalkMs, standard: standardWalkMs };
      const complaint = step.kernel?.(after);
      if (complaint !== undefined) throw new Error(`the kernel did not do what the step assumes: ${complaint}`);
      checkVarbinds(got, after);
      await step.after?.(walked, after, standard);
      result.ok = true;
    } catch (err) {
      result.detail = err instanceof Error ? err.message : String(err);
      // A failed step's stragglers must not fail the next one as well.
      this.cursor = Math.max(this.cursor, this.ours().length);
    } finally {
      clearInterval(decisionTimer);
    }
    result.ms = round(performance.now() - stepStarted);
    this.results.push(result);
    const told = result.got.map((g) => `${g.text} +${g.atMs}ms${g.agentMs === undefined ? '' : ` (sent +${g.agentMs})`}`);
    const decided = result.decisions.map((d) => `${d.what} told ${d.latencyMs} ms after the kernel decided`);
    process.stdout.write(
      `${result.ok ? 'ok  ' : 'FAIL'} ${step.name}: ${told.join(', ') || 'no notifications'}; ` +
        (decided.length > 0 ? `${decided.join(', ')}; ` : '') +
        `walks ${result.walks}${result.standardRows === undefined ? '' : ` (+${result.standardRows} standard values)`}, step ${(result.ms / 1000).toFixed(1)} s\n` +
        (result.ok ? '' : `     ${result.detail}\n`),
    );
    return result;
  }

  /**
   * When each notification arrived, and when the agent logged sending it,
   * both from the step's change. The agent's log lines and snmptrapd's
   * records are paired by position: the agent sends in order and snmpd
   * forwards in order.
   * @param {readonly Told[]} got
   * @param {number} before how many of ours came before the step
   * @param {number} t0
   * @returns {ToldAt[]}
   */
  timings(got, before, t0) {
    const sent = this.agent.log().filter((l) => l.msg === 'notification sent');
    const t0Epoch = performance.timeOrigin + t0;
    return got.map((g, i) => {
      const line = sent[before + i];
      const agentMs = line !== undefined && line.notification === g.name ? round(line.time - t0Epoch) : undefined;
      return { text: describe(g), atMs: round(g.arrivedAt - t0), agentMs, inferred: g.inferred };
    });
  }
}

/**
 * Each notification names its bond and slave by their kernel ifindexes, and
 * a slave's carries the kernel's link failure count. One told while the slave
 * was going down carries the count from before downdelay ended: the driver
 * counts the failure when the slave reaches down, and not at all when it
 * comes back instead. Either count is accepted then.
 * @param {readonly Told[]} got
 * @param {readonly KernelBond[]} bonds
 */
function checkVarbinds(got, bonds) {
  const GOING_DOWN = 3;
  for (const t of got) {
    // Their bond or slave may be gone, or made again under the same name: the
    // expected entries carry the kernel's indexes, counts and modes for them.
    if (['bondSlaveAdded', 'bondSlaveRemoved', 'bondCreated', 'bondDeleted'].includes(t.name)) continue;
    const bond = bonds.find((b) => b.name === t.bond);
    if (bond === undefined) continue; // deleted since
    if (t.bondIfIndex !== bond.ifIndex) throw new Error(`${describe(t)}: bond index ${t.bondIfIndex}, kernel ifindex ${bond.ifIndex}`);
    if (t.name !== 'bondSlaveLinkDown' && t.name !== 'bondSlaveLinkUp') continue;
    const slave = bond.slaves.find((s) => s.name === t.slave);
    if (slave === undefined) continue;
    if (t.slaveIfIndex !== slave.ifIndex) throw new Error(`${describe(t)}: slave index ${t.slaveIfIndex}, kernel ifindex ${slave.ifIndex}`);
    const want = t.miiStatus === GOING_DOWN ? [slave.linkFailureCount - 1, slave.linkFailureCount] : [slave.linkFailureCount];
    if (!want.includes(t.linkFailureCount)) {
      throw new Error(`${describe(t)}: link failure count ${t.linkFailureCount} (MII status ${t.miiStatus}), kernel ${slave.linkFailureCount}`);
    }
  }
}
