import { formatOid, type Oid, type SnmpValue, type VarBind } from '../snmp/index.js';
import { MibView } from './mib-view.js';
import { MibViewError } from './mib-view-error.js';

/** Column number -> value; a missing or undefined column is a hole in a sparse row. */
export type RowValues = Readonly<Record<number, SnmpValue | undefined>>;

interface TableDraft {
  readonly entry: Oid;
  readonly columns: ReadonlySet<number>;
}

/**
 * Collects scalars and table rows, then builds one immutable `MibView`.
 * Everything is checked once here so that requests never have to.
 *
 * ```ts
 * const view = new MibViewBuilder()
 *   .scalar([1, 3, 6, 1, 4, 1, 99999, 1, 1], snmp.integer(2))
 *   .table([1, 3, 6, 1, 4, 1, 99999, 2, 1], [2, 3])
 *   .row([1, 3, 6, 1, 4, 1, 99999, 2, 1], integerIndex(1), { 2: snmp.octetString('bond0'), 3: snmp.integer(1) })
 *   .build();
 * ```
 */
export class MibViewBuilder {
  private readonly objects: Oid[] = [];
  private readonly instances: VarBind[] = [];
  private readonly tables = new Map<string, TableDraft>();

  /**
   * A scalar object at `oid`, its instance at `oid.0`. An undefined value
   * declares the object without an instance: Get answers noSuchInstance.
   */
  scalar(oid: Oid, value: SnmpValue | undefined): this {
    this.objects.push(oid);
    if (value !== undefined) this.instances.push({ oid: [...oid, 0], value });
    return this;
  }

  /**
   * A conceptual table: `entry` is the xxxEntry OID, `columns` the column
   * numbers under it. A table without rows is fine (walks step over it).
   */
  table(entry: Oid, columns: readonly number[]): this {
    const key = formatOid(entry);
    if (this.tables.has(key)) throw new MibViewError(entry, 'table declared twice');
    const set = new Set(columns);
    if (set.size !== columns.length) throw new MibViewError(entry, 'a column is listed twice');
    for (const column of set) {
      if (!Number.isInteger(column) || column < 0) throw new MibViewError(entry, `column ${column} is not a sub-identifier`);
      this.objects.push([...entry, column]);
    }
    this.tables.set(key, { entry, columns: set });
    return this;
  }

  /** One row of a declared table, keyed by its index suffix (see index-suffix.ts). */
  row(entry: Oid, index: Oid, values: RowValues): this {
    const table = this.tables.get(formatOid(entry));
    if (table === undefined) throw new MibViewError(entry, 'row for a table that was not declared');
    if (index.length === 0) throw new MibViewError(entry, 'row with an empty index');
    for (const [key, value] of Object.entries(values)) {
      const column = Number(key);
      if (!table.columns.has(column)) throw new MibViewError([...entry, column, ...index], 'column not declared');
      if (value !== undefined) this.instances.push({ oid: [...entry, column, ...index], value });
    }
    return this;
  }

  build(): MibView {
    return MibView.fromUnsorted(this.instances, this.objects);
  }
}
