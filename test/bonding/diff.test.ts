import { describe, expect, it } from 'vitest';
import { diff, readSnapshot, type BondingEvent, type BondingSnapshot } from '../../src/bonding/index.js';
import { kernelRoots, type KernelState } from './fixture-roots.js';
import { bond, slave, snapshot } from './snapshot-builder.js';

const read = (state: KernelState): Promise<BondingSnapshot> => readSnapshot(kernelRoots(state));

/** One line per event: the order and the essentials at a glance. */
function story(events: readonly BondingEvent[]): string[] {
  return events.map((e) => {
    const who = `${e.bond.name}#${e.bond.ifIndex}`;
    switch (e.type) {
      case 'slaveLinkDown':
      case 'slaveLinkUp':
        return `${e.type} ${who} ${e.slave.name}#${e.slave.ifIndex} ${e.oldMiiStatus}->${e.newMiiStatus} failures ${e.oldLinkFailureCount}->${e.newLinkFailureCount}${e.inferred ? ' inferred' : ''}`;
      case 'activeSlaveChanged':
        return `${e.type} ${who} ${e.previous ? `${e.previous.name}#${e.previous.ifIndex}` : 'none'}->${e.current ? `${e.current.name}#${e.current.ifIndex}` : 'none'}`;
      case 'bondLinkDown':
      case 'bondLinkUp':
        return `${e.type} ${who} ${e.oldMiiStatus}->${e.newMiiStatus}`;
      case 'aggregatorMismatchBegan':
      case 'aggregatorMismatchEnded':
        return `${e.type} ${who} ${e.slave.name} ${e.slaveAggregatorId}/${e.activeAggregatorId}`;
      case 'slaveAdded':
      case 'slaveRemoved':
        return `${e.type} ${who} ${e.slave.name}#${e.slave.ifIndex}`;
      default:
        return `${e.type} ${who}`;
    }
  });
}

describe('diff of the real captures', () => {
  it('01 -> 02: failover on bond0, eth2 and eth5 down, bond7 slaves flapped unseen', async () => {
    expect(story(diff(await read('01-all-up'), await read('02-failover')))).toEqual([
      'slaveLinkDown bond0#2 eth0#4 up->down failures 0->1',
      'activeSlaveChanged bond0#2 eth0#4->eth1#6',
      'slaveLinkDown bond1#7 eth2#9 up->down failures 0->1',
      'slaveLinkDown bond2#12 eth5#16 up->down failures 0->1',
      // ARP-monitored bond7, whose targets never answer: procfs caught it up on eth13 in 01.
      // Both counts rose by more than going down explains: each slave failed and came back unseen.
      'slaveLinkDown bond7#35 eth13#37 up->going down failures 1->3 inferred',
      'slaveLinkUp bond7#35 eth13#37 up->going down failures 1->3 inferred',
      'slaveLinkDown bond7#35 eth13#37 up->going down failures 1->3',
      'slaveLinkDown bond7#35 eth14#39 up->going back failures 0->3 inferred',
      'slaveLinkUp bond7#35 eth14#39 up->going back failures 0->3 inferred',
      'slaveLinkDown bond7#35 eth14#39 up->going back failures 0->3',
      'activeSlaveChanged bond7#35 eth13#37->none',
      'bondLinkDown bond7#35 up->down',
    ]);
  });

  it('02 -> 03: eth0 and eth5 recover; bond0 keeps eth1', async () => {
    expect(story(diff(await read('02-failover'), await read('03-recovered')))).toEqual([
      'slaveLinkUp bond0#2 eth0#4 down->up failures 1->1',
      'slaveLinkUp bond2#12 eth5#16 down->up failures 1->1',
      'slaveLinkUp bond7#35 eth13#37 going down->going back failures 3->4 inferred',
      'slaveLinkDown bond7#35 eth13#37 going down->going back failures 3->4 inferred',
    ]);
  });

  it('03 -> 04: bond1 loses its last slave and goes down', async () => {
    expect(story(diff(await read('03-recovered'), await read('04-bond1-down')))).toEqual([
      'slaveLinkDown bond1#7 eth3#11 up->down failures 0->1',
      'bondLinkDown bond1#7 up->down',
    ]);
  });

  it('a snapshot against itself: nothing', async () => {
    const s = await read('02-failover');
    expect(diff(s, s)).toEqual([]);
  });

  it('events carry the fields a notification needs', async () => {
    const events = diff(await read('01-all-up'), await read('02-failover'));
    expect(events[0]).toEqual({
      type: 'slaveLinkDown',
      bond: { name: 'bond0', ifIndex: 2 },
      slave: { name: 'eth0', ifIndex: 4 },
      miiStatus: 'down',
      oldMiiStatus: 'up',
      newMiiStatus: 'down',
      oldLinkFailureCount: 0,
      newLinkFailureCount: 1,
      state: 'backup',
      inferred: false,
    });
    expect(events[1]).toEqual({
      type: 'activeSlaveChanged',
      bond: { name: 'bond0', ifIndex: 2 },
      previous: { name: 'eth0', ifIndex: 4 },
      current: { name: 'eth1', ifIndex: 6 },
    });
  });
});

describe('diff stories', () => {
  const eth0 = (f = {}) => slave('eth0', 4, f);
  const eth1 = (f = {}) => slave('eth1', 6, f);
  const ab = (f: Parameters<typeof bond>[3], ...slaves: ReturnType<typeof slave>[]) => bond('bond0', 2, slaves, f);

  it('recovery: the slave comes up, then the active slave changes back', () => {
    const before = snapshot(ab({ activeSlave: 'eth1' }, eth0({ miiStatus: 'down', linkFailureCount: 1 }), eth1({ state: 'active' })));
    const after = snapshot(ab({ activeSlave: 'eth0' }, eth0({ state: 'active', linkFailureCount: 1 }), eth1()));
    expect(story(diff(before, after))).toEqual([
      'slaveLinkUp bond0#2 eth0#4 down->up failures 1->1',
      'activeSlaveChanged bond0#2 eth1#6->eth0#4',
    ]);
  });

  it('bond down: slaves down, active slave gone, bond down; and back up in the mirrored order', () => {
    const up = snapshot(ab({ activeSlave: 'eth0' }, eth0({ state: 'active' }), eth1()));
    const down = snapshot(
      ab({ activeSlave: undefined, miiStatus: 'down' }, eth0({ miiStatus: 'down', linkFailureCount: 1 }), eth1({ miiStatus: 'down', linkFailureCount: 1 })),
    );
    expect(story(diff(up, down))).toEqual([
      'slaveLinkDown bond0#2 eth0#4 up->down failures 0->1',
      'slaveLinkDown bond0#2 eth1#6 up->down failures 0->1',
      'activeSlaveChanged bond0#2 eth0#4->none',
      'bondLinkDown bond0#2 up->down',
    ]);
    const back = snapshot(ab({ activeSlave: 'eth1' }, eth0({ miiStatus: 'down', linkFailureCount: 1 }), eth1({ state: 'active', linkFailureCount: 1 })));
    expect(story(diff(down, back))).toEqual([
      'slaveLinkUp bond0#2 eth1#6 down->up failures 1->1',
      'activeSlaveChanged bond0#2 none->eth1#6',
      'bondLinkUp bond0#2 down->up',
    ]);
  });

  it('a flap between two reads of an up slave: inferred down then up', () => {
    const before = snapshot(ab({}, eth0({ linkFailureCount: 2 })));
    const after = snapshot(ab({}, eth0({ linkFailureCount: 3 })));
    const events = diff(before, after);
    expect(story(events)).toEqual([
      'slaveLinkDown bond0#2 eth0#4 up->up failures 2->3 inferred',
      'slaveLinkUp bond0#2 eth0#4 up->up failures 2->3 inferred',
    ]);
    // Each inferred event says the status it tells, not the unchanged one both snapshots show.
    expect(events.map((e) => (e.type === 'slaveLinkDown' || e.type === 'slaveLinkUp' ? e.miiStatus : e.type))).toEqual(['down', 'up']);
  });

  it('no flap when downdelay ends: the driver counts the failure as the slave reaches down', () => {
    // Seen on a real 6.1 kernel: read during downdelay (going down, count 2; the
    // slaveLinkDown was told then), read again once it is down (count 3).
    const goingDown = snapshot(ab({}, eth0({ miiStatus: 'going down', linkFailureCount: 2 })));
    const down = snapshot(ab({}, eth0({ miiStatus: 'down', linkFailureCount: 3 })));
    expect(story(diff(goingDown, down))).toEqual([]);
    // Same for a slave whose updelay ended in failure: going back -> down.
    const goingBack = snapshot(ab({}, eth0({ miiStatus: 'going back', linkFailureCount: 3 })));
    expect(story(diff(goingBack, snapshot(ab({}, eth0({ miiStatus: 'down', linkFailureCount: 4 })))))).toEqual([]);
  });

  it('a second failure on the way down is still a flap', () => {
    const goingDown = snapshot(ab({}, eth0({ miiStatus: 'going down', linkFailureCount: 2 })));
    const down = snapshot(ab({}, eth0({ miiStatus: 'down', linkFailureCount: 4 })));
    expect(story(diff(goingDown, down))).toEqual([
      'slaveLinkUp bond0#2 eth0#4 going down->down failures 2->4 inferred',
      'slaveLinkDown bond0#2 eth0#4 going down->down failures 2->4 inferred',
    ]);
  });

  it('a flap hidden behind a link change: the count rose by more than the change explains', () => {
    // Going down raises no count (the driver counts at the end of downdelay); reaching down
    // straight from up raises it by one. Any more is a failure and a recovery nobody saw.
    const up = (linkFailureCount: number) => snapshot(ab({}, eth0({ linkFailureCount })));
    const goingDown = (linkFailureCount: number) => snapshot(ab({}, eth0({ miiStatus: 'going down', linkFailureCount })));
    const down = (linkFailureCount: number) => snapshot(ab({}, eth0({ miiStatus: 'down', linkFailureCount })));
    expect(story(diff(up(1), goingDown(1)))).toEqual(['slaveLinkDown bond0#2 eth0#4 up->going down failures 1->1']);
    expect(story(diff(up(1), down(2)))).toEqual(['slaveLinkDown bond0#2 eth0#4 up->down failures 1->2']);
    expect(story(diff(up(1), goingDown(2)))).toEqual([
      'slaveLinkDown bond0#2 eth0#4 up->going down failures 1->2 inferred',
      'slaveLinkUp bond0#2 eth0#4 up->going down failures 1->2 inferred',
      'slaveLinkDown bond0#2 eth0#4 up->going down failures 1->2',
    ]);
    expect(story(diff(up(1), down(3)))).toEqual([
      'slaveLinkDown bond0#2 eth0#4 up->down failures 1->3 inferred',
      'slaveLinkUp bond0#2 eth0#4 up->down failures 1->3 inferred',
      'slaveLinkDown bond0#2 eth0#4 up->down failures 1->3',
    ]);
    // Coming up raises no count: a rise means it came up and failed once more before this.
    expect(story(diff(down(2), up(2)))).toEqual(['slaveLinkUp bond0#2 eth0#4 down->up failures 2->2']);
    expect(story(diff(down(2), up(3)))).toEqual([
      'slaveLinkUp bond0#2 eth0#4 down->up failures 2->3 inferred',
      'slaveLinkDown bond0#2 eth0#4 down->up failures 2->3 inferred',
      'slaveLinkUp bond0#2 eth0#4 down->up failures 2->3',
    ]);
  });

  it('bonds and slaves added and removed, a bond recreated with a new ifindex', () => {
    const before = snapshot(bond('bond0', 2, [eth0(), eth1()]), bond('bond1', 7, [slave('eth2', 9)]));
    const after = snapshot(
      bond('bond0', 2, [eth0(), slave('eth3', 11)]),
      bond('bond1', 40, [slave('eth2', 9)]),
      bond('bond10', 50, []),
      bond('bond2', 45, [slave('eth4', 46, { miiStatus: 'down' })]),
    );
    expect(story(diff(before, after))).toEqual([
      'slaveAdded bond0#2 eth3#11',
      'slaveRemoved bond0#2 eth1#6',
      'slaveRemoved bond1#7 eth2#9',
      'bondRemoved bond1#7',
      'bondAdded bond1#40',
      'slaveAdded bond1#40 eth2#9',
      // A created bond is compared with nothing (empty, down): its coming up is told too.
      'bondLinkUp bond1#40 down->up',
      'bondAdded bond2#45',
      'slaveAdded bond2#45 eth4#46',
      'bondLinkUp bond2#45 down->up',
      'bondAdded bond10#50',
      'bondLinkUp bond10#50 down->up',
    ]);
    expect(story(diff(after, snapshot()))).toEqual([
      'slaveRemoved bond0#2 eth0#4',
      'slaveRemoved bond0#2 eth3#11',
      'bondRemoved bond0#2',
      'slaveRemoved bond1#40 eth2#9',
      'bondRemoved bond1#40',
      'slaveRemoved bond2#45 eth4#46',
      'bondRemoved bond2#45',
      'bondRemoved bond10#50',
    ]);
  });

  it('a slave recreated with a new ifindex is removed and added', () => {
    expect(story(diff(snapshot(ab({}, eth0())), snapshot(ab({}, slave('eth0', 99)))))).toEqual([
      'slaveRemoved bond0#2 eth0#4',
      'slaveAdded bond0#2 eth0#99',
    ]);
  });

  it('802.3ad: a slave moving to another aggregator, and back', () => {
    const lacp = (agg: number) =>
      snapshot(bond('bond2', 12, [slave('eth4', 14, { aggregatorId: 1 }), slave('eth5', 16, { aggregatorId: agg })], { mode: '802.3ad', adAggregator: 1 }));
    expect(story(diff(lacp(1), lacp(2)))).toEqual(['aggregatorMismatchBegan bond2#12 eth5 2/1']);
    expect(story(diff(lacp(2), lacp(1)))).toEqual(['aggregatorMismatchEnded bond2#12 eth5 1/1']);
    // Unknown on either side (unprivileged reader, not 802.3ad) is not a mismatch.
    const unknown = snapshot(bond('bond2', 12, [slave('eth5', 16, { aggregatorId: 2 })], { mode: '802.3ad', adAggregator: undefined }));
    expect(diff(lacp(1), unknown).filter((e) => e.type.startsWith('aggregator'))).toEqual([]);
  });

  it('an undefined MII status or failure count is not a change', () => {
    const before = snapshot(ab({}, eth0({ miiStatus: undefined, linkFailureCount: undefined })));
    const after = snapshot(ab({ miiStatus: undefined }, eth0({ miiStatus: 'down', linkFailureCount: 4 })));
    expect(diff(before, after)).toEqual([]);
  });
});

describe('every change of membership and state is told, whatever caused it', () => {
  // Reported: an empty, down active-backup bond turned into balance-alb got its first
  // slave (ens10, up, active), and nothing was told.
  const empty = snapshot(bond('bond3', 30, [], { mode: 'active-backup', miiStatus: 'down', activeSlave: undefined }));
  const alb = snapshot(bond('bond3', 30, [slave('ens10', 31, { state: 'active' })], { mode: 'balance-alb', miiStatus: 'up', activeSlave: 'ens10' }));

  it('a first slave enslaved to an empty, down bond: added, the active slave, the bond up', () => {
    expect(story(diff(empty, alb))).toEqual([
      'slaveAdded bond3#30 ens10#31',
      'activeSlaveChanged bond3#30 none->ens10#31',
      'bondLinkUp bond3#30 down->up',
    ]);
  });

  it('the same bond created with its slave while the agent ran (a new ifindex): created as if from nothing', () => {
    const recreated = snapshot(bond('bond3', 44, [slave('ens10', 31, { state: 'active' })], { mode: 'balance-alb', miiStatus: 'up', activeSlave: 'ens10' }));
    expect(story(diff(empty, recreated))).toEqual([
      'bondRemoved bond3#30',
      'bondAdded bond3#44',
      'slaveAdded bond3#44 ens10#31',
      'activeSlaveChanged bond3#44 none->ens10#31',
      'bondLinkUp bond3#44 down->up',
    ]);
  });

  it('the active slave released from a two-slave bond: the failover, then the release; the last one: the bond down too', () => {
    const two = snapshot(bond('bond0', 2, [slave('eth0', 4, { state: 'active' }), slave('eth1', 6)], { activeSlave: 'eth0' }));
    const one = snapshot(bond('bond0', 2, [slave('eth1', 6, { state: 'active' })], { activeSlave: 'eth1' }));
    const none = snapshot(bond('bond0', 2, [], { activeSlave: undefined, miiStatus: 'down' }));
    expect(story(diff(two, one))).toEqual(['activeSlaveChanged bond0#2 eth0#4->eth1#6', 'slaveRemoved bond0#2 eth0#4']);
    expect(story(diff(one, none))).toEqual(['activeSlaveChanged bond0#2 eth1#6->none', 'bondLinkDown bond0#2 up->down', 'slaveRemoved bond0#2 eth1#6']);
  });

  it('order within one read: created, added, link changes, active slave, bond up/down, removed, deleted', () => {
    const before = snapshot(
      bond('bond0', 2, [slave('eth0', 4, { state: 'active' }), slave('eth1', 6)], { activeSlave: 'eth0' }),
      bond('bond9', 90, [slave('eth9', 91)]),
    );
    const after = snapshot(
      bond('bond0', 2, [slave('eth1', 6, { miiStatus: 'down', linkFailureCount: 1 }), slave('eth2', 8, { state: 'active' })], { activeSlave: 'eth2' }),
      bond('bond5', 50, [slave('eth5', 51, { state: 'active' })], { activeSlave: 'eth5' }),
    );
    expect(story(diff(before, after))).toEqual([
      'slaveAdded bond0#2 eth2#8',
      'slaveLinkDown bond0#2 eth1#6 up->down failures 0->1',
      'activeSlaveChanged bond0#2 eth0#4->eth2#8',
      'slaveRemoved bond0#2 eth0#4',
      'bondAdded bond5#50',
      'slaveAdded bond5#50 eth5#51',
      'activeSlaveChanged bond5#50 none->eth5#51',
      'bondLinkUp bond5#50 down->up',
      'slaveRemoved bond9#90 eth9#91',
      'bondRemoved bond9#90',
    ]);
  });
});
