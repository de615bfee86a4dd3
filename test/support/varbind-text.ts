/**
 * A varbind as the Net-SNMP tools print it with -On (numeric OIDs), ideally
 * with -Ox too (every string in hex: binary-safe, one token per byte).
 */
export interface TextVarBind {
  /** Dotted numeric OID without the leading dot. */
  readonly oid: string;
  /**
   * The tool's type label (INTEGER, STRING, Hex-STRING, OID, IpAddress,
   * Counter32, Gauge32, Timeticks, Counter64, Opaque, NULL), or noSuchObject,
   * noSuchInstance, endOfMibView.
   */
  readonly type: string;
  /** The value text: numbers as digits, OIDs without the leading dot, Timeticks as the raw hundredths. */
  readonly text: string;
  /** For STRING and Hex-STRING: the bytes. */
  readonly bytes?: Uint8Array;
}

const EXCEPTIONS: Readonly<Record<string, string>> = {
  'No Such Object available on this agent at this OID': 'noSuchObject',
  'No Such Instance currently exists at this OID': 'noSuchInstance',
  'No more variables left in this MIB View (It is past the end of the MIB tree)': 'endOfMibView',
};

/** Parses one "OID = TYPE: value" item (continuation lines already joined). */
export function parseVarBindText(item: string): TextVarBind {
  const eq = item.indexOf(' = ');
  if (eq < 0) throw new Error(`not a varbind: ${JSON.stringify(item)}`);
  const oid = item.slice(0, eq).trim().replace(/^\./, '');
  const rest = item.slice(eq + 3).trim();
  const exception = EXCEPTIONS[rest];
  if (exception !== undefined) return { oid, type: exception, text: '' };
  if (rest === '""') return { oid, type: 'STRING', text: '', bytes: new Uint8Array() };
  if (rest === 'NULL') return { oid, type: 'NULL', text: '' };
  const colon = rest.indexOf(': ');
  const type = colon < 0 ? 'unknown' : rest.slice(0, colon);
  const raw = colon < 0 ? rest : rest.slice(colon + 2).trim();
  switch (type) {
    case 'Hex-STRING':
    case 'Opaque': {
      const bytes = Uint8Array.from(raw.split(/\s+/).filter(Boolean), (h) => parseInt(h, 16));
      return { oid, type, text: raw, bytes };
    }
    case 'STRING': {
      const text = raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
      return { oid, type, text, bytes: new TextEncoder().encode(text) };
    }
    case 'Timeticks':
      return { oid, type, text: /^\((\d+)\)/.exec(raw)?.[1] ?? raw };
    case 'OID':
      return { oid, type, text: raw.replace(/^\./, '') };
    default:
      return { oid, type, text: raw };
  }
}

/**
 * Parses the stdout of snmpget / snmpwalk / snmpbulkwalk run with -On: a line
 * that starts with a numeric OID and " = " begins a varbind, any other line
 * continues the previous one (hex strings wrap every 16 bytes).
 */
export function parseVarBindLines(stdout: string): TextVarBind[] {
  const items: string[] = [];
  for (const line of stdout.split('\n')) {
    if (/^\.?\d+(\.\d+)* = /.test(line)) items.push(line);
    else if (items.length > 0 && line !== '') items[items.length - 1] += `\n${line}`;
  }
  return items.map((item) => parseVarBindText(item.replace(/\n/g, ' ')));
}
