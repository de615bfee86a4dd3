export * from './types.js';
export { readSnapshot, readBond, withBond } from './read-snapshot.js';
export type { BondRead } from './read-bond.js';
export { parseProcBonding } from './procfs-parser.js';
export type { ProcBond, ProcSlave, ProcActiveAggregator, ProcParseResult } from './procfs-parser.js';
export { decodeLacpPortState } from './sysfs-values.js';
export type { LacpPortState } from './sysfs-values.js';
export { diff } from './diff.js';
export type * from './events.js';
