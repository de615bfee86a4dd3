import { compareOids, formatOid, type Oid, type SnmpValue, type VarBind } from '../snmp/index.js';
import { MibView } from './mib-view.js';
import { MibViewError } from './mib-view-error.js';

/** Column number -> value; a missing or undefined column is a hole in a sparse row. */
export type RowValues = Readonly<Record<number, SnmpValue | undefined>>;

interface TableDraft {
  readonly entry: Oid;
  /** Column number -> its instances, in the order the rows came. */
  readonly columns: ReadonlyMap<number, VarBind[]>;
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
  /** Each object's instances apart (a scalar's one, a column's rows), so that the build sorts little. */
  private readonly perObject: VarBind[][] = [];
  private readonly tables = new Map<string, TableDraft>();
  /** The same tables by the entry array a caller passes (every row of a table passes the same one). */
  private readonly byEntry = new Map<Oid, TableDraft>();

  /**
   * A scalar object at `oid`, its instance at `oid.0`. An undefined value
   * declares the object without an instance: Get answers noSuchInstance.
   */
  scalar(oid: Oid, value: SnmpValue | undefined): this {
    this.objects.push(oid);
    this.perObject.push(value === undefined ? [] : [{ oid: [...oid, 0], value }]);
    return this;
  }

  /**
   * A conceptual table: `entry` is the xxxEntry OID, `columns` the column
   * numbers under it. A table without rows is fine (walks step over it).
   */
  table(entry: Oid, columns: readonly number[]): this {
    const key = formatOid(entry);
    if (this.tables.has(key)) throw new MibViewError(entry, 'table declared twice');
    const set = new Map<number, VarBind[]>();
    for (const column of columns) {
      if (!Number.isInteger(column) || column < 0) throw new MibViewError(entry, `column ${column} is not a sub-identifier`);
      if (set.has(column)) throw new MibViewError(entry, 'a column is listed twice');
      const instances: VarBind[] = [];
      set.set(column, instances);
      this.objects.push([...entry, column]);
      this.perObject.push(instances);
    }
    this.tables.set(key, { entry, columns: set });
    return this;
  }

  /** One row of a declared table, keyed by its index suffix (see index-suffix.ts). */
  row(entry: Oid, index: Oid, values: RowValues): this {
    let table = this.byEntry.get(entry);
    if (table === undefined) {
      table = this.tables.get(formatOid(entry));
      if (table === undefined) throw new MibViewError(entry, 'row for a table that was not declared');
      this.byEntry.set(entry, table);
    }
    if (index.length === 0) throw new MibViewError(entry, 'row with an empty index');
    for (const key in values) {
      const column = Number(key);
      const instances = table.columns.get(column);
      if (instances === undefined) throw new MibViewError([...entry, column, ...index], 'column not declared');
      const value = values[column];
      if (value !== undefined) instances.push({ oid: [...entry, column, ...index], value });
    }
    return this;
  }

  /**
   * The view. Objects in OID order, each one's instances after it: rows added
   * in index order (as every view of ours adds them) need no sorting at all,
   * and the view's own sort then only confirms the order.
   */
  build(): MibView {
    const order = this.objects.map((_, i) => i).sort((a, b) => compareOids(this.objects[a]!, this.objects[b]!));
    const instances: VarBind[] = [];
    for (const i of order) for (const vb of this.perObject[i]!) instances.push(vb);
    return MibView.fromUnsorted(instances, this.objects);
  }
}
