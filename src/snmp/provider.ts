import type { Oid } from './oid.js';
import type { SnmpValue, VarBind } from './value.js';

/** RFC 2741 5.2: a SearchRange; `end` empty means "no upper bound". */
export interface SearchRange {
  readonly start: Oid;
  readonly include: boolean;
  readonly end: Oid;
}

/**
 * What a protocol front end (AgentX session, embedded agent) asks of the data
 * it serves. Implementations answer from memory only: a request never reads a file.
 */
export interface MibProvider {
  /** Exact match; noSuchObject / noSuchInstance when absent. */
  get(oid: Oid): SnmpValue;
  /**
   * The first instance after `start` (at `start` too when `include`), strictly
   * below `end` when `end` is given and non-empty; undefined means endOfMibView.
   */
  getNext(start: Oid, include: boolean, end?: Oid): VarBind | undefined;
}
