// Real Net-SNMP processes for tests: snmpd as AgentX master, snmptrapd, and
// the command-line tools, all unprivileged-safe, on loopback and temp dirs.
export { startSnmpd, type RunningSnmpd, type SnmpdOptions } from './snmpd.js';
export { startSnmptrapd, parseTrapLog, type ReceivedNotification, type RunningSnmptrapd } from './snmptrapd.js';
export { snmpCmd, type SnmpCmdOptions, type SnmpCmdResult, type SnmpCommand } from './snmp-cmd.js';
export { parseVarBindLines, parseVarBindText, type TextVarBind } from './varbind-text.js';
export { freeUdpPort } from '../../src/net/free-port.js';
export { findBinary } from './binaries.js';
