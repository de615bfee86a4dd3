/**
 * What the agent tells for a change between two real-kernel captures, in
 * order (name, bond, slave; "inferred" where a link failure count told of a
 * flap between two reads). Established by test/e2e/agent-snmpd.e2e.test.ts
 * against snmptrapd; the consumers' suites (Zabbix, snmptt) expect the same.
 */
export const FAILOVER_01_TO_02: readonly string[] = [
  'bondSlaveLinkDown bond0 eth0',
  'bondActiveSlaveChanged bond0',
  'bondSlaveLinkDown bond1 eth2',
  'bondSlaveLinkDown bond2 eth5',
  // bond7's ARP monitor never gets answers: procfs caught it up in 01; its slaves
  // then failed more often than this one change explains, which the counts tell.
  'bondSlaveLinkDown bond7 eth13 inferred',
  'bondSlaveLinkUp bond7 eth13 inferred',
  'bondSlaveLinkDown bond7 eth13',
  'bondSlaveLinkDown bond7 eth14 inferred',
  'bondSlaveLinkUp bond7 eth14 inferred',
  'bondSlaveLinkDown bond7 eth14',
  'bondActiveSlaveChanged bond7',
  'bondLinkDown bond7',
];
