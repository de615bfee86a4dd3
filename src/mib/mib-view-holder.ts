import type { MibProvider, Oid, SnmpValue, VarBind } from '../snmp/index.js';
import { MibView } from './mib-view.js';

/**
 * The view currently served. An update replaces the whole view in one
 * assignment, so every request is answered from exactly one view: a walk can
 * see the old view then the new one between requests, never a mix inside one.
 * A front end answering a multi-varbind PDU should take `current` once and
 * use that view for the whole PDU.
 */
/** A view, or how to build it (built at its first read, if any). */
export type ViewSource = MibView | (() => MibView);

export class MibViewHolder implements MibProvider {
  #current: MibView | undefined;
  #build: (() => MibView) | undefined;

  constructor(initial: ViewSource = MibView.empty) {
    this.replace(initial);
  }

  /** The view served now; one given as a builder is built here, at its first read, once. */
  get current(): MibView {
    if (this.#current === undefined) {
      this.#current = this.#build === undefined ? MibView.empty : this.#build();
      this.#build = undefined;
    }
    return this.#current;
  }

  /**
   * Installs `next` and returns the view it replaced: undefined where that
   * was a builder never read, so never built. A view nobody reads between
   * two changes (the standard tables, which NMSes walk every few minutes)
   * costs nothing.
   */
  replace(next: ViewSource): MibView | undefined {
    const previous = this.#current;
    if (typeof next === 'function') {
      this.#current = undefined;
      this.#build = next;
    } else {
      this.#current = next;
      this.#build = undefined;
    }
    return previous;
  }

  get(oid: Oid): SnmpValue {
    return this.current.get(oid);
  }

  getNext(start: Oid, include: boolean, end?: Oid): VarBind | undefined {
    return this.current.getNext(start, include, end);
  }
}
