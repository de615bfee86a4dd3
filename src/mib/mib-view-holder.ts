import type { MibProvider, Oid, SnmpValue, VarBind } from '../snmp/index.js';
import { MibView } from './mib-view.js';

/**
 * The view currently served. An update replaces the whole view in one
 * assignment, so every request is answered from exactly one view: a walk can
 * see the old view then the new one between requests, never a mix inside one.
 * A front end answering a multi-varbind PDU should take `current` once and
 * use that view for the whole PDU.
 */
export class MibViewHolder implements MibProvider {
  #current: MibView;

  constructor(initial: MibView = MibView.empty) {
    this.#current = initial;
  }

  get current(): MibView {
    return this.#current;
  }

  /** Installs `next` and returns the view it replaced. */
  replace(next: MibView): MibView {
    const previous = this.#current;
    this.#current = next;
    return previous;
  }

  get(oid: Oid): SnmpValue {
    return this.#current.get(oid);
  }

  getNext(start: Oid, include: boolean, end?: Oid): VarBind | undefined {
    return this.#current.getNext(start, include, end);
  }
}
