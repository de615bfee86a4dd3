/**
 * A real Zabbix 6.0 server for one test suite, from Debian's packages, all in
 * one temp dir, nothing written outside it:
 *
 * - PostgreSQL (postgresql-15): a private cluster (initdb), its unix socket in
 *   the temp dir, no TCP; the Zabbix schema, images and data loaded once;
 * - zabbix_server (zabbix-server-pgsql) in the foreground with the SNMP
 *   trapper reading a trap file in the temp dir, few workers, a short
 *   configuration cache refresh;
 * - the frontend's JSON-RPC API (zabbix-frontend-php) served by `php -S`
 *   from a private copy of /usr/share/zabbix whose configuration path points
 *   at the temp dir (Debian's frontend reads /etc/zabbix/zabbix.conf.php).
 *
 * As root, PostgreSQL runs as `postgres` and zabbix_server as `zabbix` (both
 * refuse root); otherwise everything runs as the current user.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { spawnOwned, type OwnedProcess, type RunAs } from './owned-process.js';
import { ZabbixApi } from './zabbix-api.js';

const PACKAGES = 'postgresql zabbix-server-pgsql zabbix-frontend-php php-cli php-pgsql';
const SQL_DIR = '/usr/share/zabbix-server-pgsql';
const FRONTEND = '/usr/share/zabbix';
const ZABBIX_SERVER = '/usr/sbin/zabbix_server';

export interface ZabbixStack {
  readonly dir: string;
  readonly api: ZabbixApi;
  /** Seconds each start-up step took (database, data.sql, server, frontend), and each part of the stop. */
  readonly timings: Map<string, number>;
  serverLog(): string;
  /** Stops the frontend, zabbix_server (and any worker left), PostgreSQL; removes the dir. */
  stop(): Promise<void>;
}

/** `postgres`/`zabbix` from /etc/passwd when we are root; undefined (ourselves) otherwise. */
function systemUser(name: string): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (line === undefined) throw new Error(`user ${name} does not exist: install ${PACKAGES}`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function postgresBin(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions.map((v) => join(base, v, 'bin')).find((d) => existsSync(join(d, 'initdb')));
  if (bin === undefined) throw new Error(`PostgreSQL server binaries not found under ${base}: install ${PACKAGES}`);
  return bin;
}

function requireFile(path: string): void {
  if (!existsSync(path)) throw new Error(`${path} not found: install ${PACKAGES}`);
}

function run(file: string, args: readonly string[], options: { runAs?: RunAs | undefined; cwd?: string; input?: NodeJS.ReadableStream } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      ...(options.runAs ? { uid: options.runAs.uid, gid: options.runAs.gid } : {}),
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    if (options.input) options.input.pipe(child.stdin!);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve(out) : reject(new Error(`${file} ${args.join(' ')} exited with ${code ?? signal}:\n${out}`)),
    );
  });
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * data.sql's 130,000 single-row INSERTs as multi-row INSERTs (up to 1000 rows
 * each, same table and columns, same order): the same data in a third of the
 * time, PostgreSQL spending it on statements rather than rows. Statements are
 * split at semicolons outside string literals ('…' with '' inside, E'…' with
 * backslash escapes); everything that is not such an INSERT passes as it is.
 */
export function batchInserts(sql: string, maxRows = 1000): string {
  const out: string[] = [];
  let prefix: string | undefined;
  let rows: string[] = [];
  const flush = (): void => {
    if (prefix !== undefined && rows.length > 0) out.push(`${prefix}${rows.join(',\n')};\n`);
    prefix = undefined;
    rows = [];
  };
  const statement = (text: string): void => {
    const m = /^INSERT INTO \w+ \([^)]*\) values (?=\()/.exec(text);
    if (m === null) {
      flush();
      if (text.trim() !== '') out.push(`${text};\n`);
      return;
    }
    if (m[0] !== prefix || rows.length >= maxRows) {
      flush();
      prefix = m[0];
    }
    rows.push(text.slice(m[0].length));
  };
  let start = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'") {
      const escapes = (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !/\w/.test(sql[i - 2] ?? '');
      for (i++; i < sql.length; i++) {
        if (escapes && sql[i] === '\\') i++;
        else if (sql[i] === "'" && sql[i + 1] === "'") i++;
        else if (sql[i] === "'") break;
      }
    } else if (c === ';') {
      statement(sql.slice(start, i).replace(/^\s+/, ''));
      start = i + 1;
    }
  }
  statement(sql.slice(start).replace(/^\s+/, ''));
  flush();
  return out.join('');
}

function own(path: string, user: RunAs | undefined, mode: number): void {
  if (user) chownSync(path, user.uid, user.gid);
  chmodSync(path, mode);
}

/** `trapFile`: the SNMPTrapperFile to read (the zabbix user must be able to). */
export async function startZabbixStack(options: { trapFile: string }): Promise<ZabbixStack> {
  const pgBin = postgresBin();
  for (const f of [ZABBIX_SERVER, join(SQL_DIR, 'schema.sql.gz'), join(SQL_DIR, 'data.sql.gz'), join(FRONTEND, 'api_jsonrpc.php'), '/usr/bin/php', '/usr/bin/psql']) {
    requireFile(f);
  }
  const pgUser = systemUser('postgres');
  const zbxUser = systemUser('zabbix');

  // Short path: PostgreSQL's socket lives in it (sun_path holds 107 bytes).
  const dir = mkdtempSync('/tmp/zbx-');
  chmodSync(dir, 0o755); // postgres and zabbix must enter it
  const pgData = join(dir, 'pg');
  const sock = join(dir, 'sock');
  const serverDir = join(dir, 'server');
  mkdirSync(pgData);
  own(pgData, pgUser, 0o700);
  mkdirSync(sock);
  own(sock, pgUser, 0o755);
  mkdirSync(serverDir);
  own(serverDir, zbxUser, 0o755);

  const started: OwnedProcess[] = [];
  const timings = new Map<string, number>();
  let lap = Date.now();
  const step = (name: string): void => {
    timings.set(name, (Date.now() - lap) / 1000);
    lap = Date.now();
  };
  const stopAll = async (): Promise<void> => {
    const errors: unknown[] = [];
    lap = Date.now();
    // The frontend and zabbix_server, then their database (fast shutdown: SIGINT).
    const database = started.filter((p) => p.name.endsWith('/postgres'));
    for (const group of [started.filter((p) => !database.includes(p)), database]) {
      const results = await Promise.allSettled(
        group.map(async (p) => {
          const t = Date.now();
          await p.stop(database.includes(p) ? 'SIGINT' : 'SIGTERM', 20_000);
          timings.set(`stop ${p.name.replace(/^.*\//, '')}`, (Date.now() - t) / 1000);
        }),
      );
      for (const r of results) if (r.status === 'rejected') errors.push(r.reason);
    }
    started.length = 0;
    step('stop processes');
    rmSync(dir, { recursive: true, force: true });
    step('stop: remove the temp dir');
    if (errors.length > 0) throw errors[0];
  };

  try {
    // PostgreSQL: a throwaway cluster; durability off, it only has to be fast.
    await run(join(pgBin, 'initdb'), ['-D', pgData, '-U', 'zabbix', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions'], {
      runAs: pgUser,
      cwd: dir,
    });
    const postgres = await spawnOwned(
      join(pgBin, 'postgres'),
      ['-D', pgData, '-k', sock, '-c', 'listen_addresses=', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      { runAs: pgUser, cwd: dir },
    );
    started.push(postgres);
    const psql = (database: string, args: readonly string[], input?: NodeJS.ReadableStream) =>
      run('/usr/bin/psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', sock, '-U', 'zabbix', '-d', database, ...args], { cwd: dir, ...(input ? { input } : {}) });
    for (let deadline = Date.now() + 30_000; ; ) {
      if (!postgres.isRunning()) throw new Error(`postgres exited:\n${postgres.output()}`);
      try {
        await psql('postgres', ['-Atc', 'select 1']);
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await sleep(100);
      }
    }
    postgres.adoptDescendants();
    step('initdb and postgres');
    await psql('postgres', ['-c', 'CREATE DATABASE zabbix']);
    // The fixed cost of the suite: data.sql is some 130,000 INSERTs.
    for (const file of ['schema.sql.gz', 'images.sql.gz']) {
      await psql('zabbix', [], createReadStream(join(SQL_DIR, file)).pipe(createGunzip()));
    }
    const data = batchInserts(gunzipSync(readFileSync(join(SQL_DIR, 'data.sql.gz'))).toString('utf8'));
    await psql('zabbix', [], Readable.from([data]));
    // The stock "Zabbix server" host polls an agent that is not here.
    await psql('zabbix', ['-c', "UPDATE hosts SET status=1 WHERE host='Zabbix server'"]);
    // Statistics now, not when autovacuum gets to it: the first queries (the
    // server's configuration sync, the template import) are many times faster.
    await psql('zabbix', ['-c', 'ANALYZE']);
    step('schema, images and data.sql');

    // zabbix_server: only the workers the suite needs.
    const trapFile = options.trapFile;
    const serverLog = join(serverDir, 'zabbix_server.log');
    const conf = join(dir, 'zabbix_server.conf');
    writeFileSync(
      conf,
      [
        `LogFile=${serverLog}`,
        'LogFileSize=0',
        `PidFile=${join(serverDir, 'zabbix_server.pid')}`,
        `SocketDir=${serverDir}`,
        `DBHost=${sock}`,
        'DBName=zabbix',
        'DBUser=zabbix',
        'StartTrappers=0', // no TCP listener: the suite talks to the API, the server reads the database
        'StartPollers=2',
        'StartPollersUnreachable=1',
        'StartPreprocessors=1',
        'StartPingers=0',
        'StartDiscoverers=0',
        'StartHTTPPollers=0',
        'StartODBCPollers=0',
        'StartHistoryPollers=1',
        'StartDBSyncers=1',
        'StartLLDProcessors=1',
        'StartAlerters=1',
        'StartEscalators=1',
        'StartSNMPTrapper=1',
        `SNMPTrapperFile=${trapFile}`,
        'CacheUpdateFrequency=2',
        'HousekeepingFrequency=0',
        'Timeout=4',
        '',
      ].join('\n'),
    );
    const server = await spawnOwned(ZABBIX_SERVER, ['-f', '-c', conf], { runAs: zbxUser, cwd: dir });
    started.push(server);
    const log = (): string => (existsSync(serverLog) ? readFileSync(serverLog, 'utf8') : '');
    // There is no configuration test in 6.0: start it and read its log.
    for (let deadline = Date.now() + 30_000; !/started \[snmp trapper #1\]/.test(log()) || !/started \[main process\]/.test(log()); ) {
      if (!server.isRunning()) throw new Error(`zabbix_server exited:\n${server.output()}\n${log()}`);
      if (Date.now() > deadline) throw new Error(`zabbix_server did not start within 30 s:\n${log()}`);
      await sleep(100);
    }
    await sleep(500); // the last workers log their start a moment later
    server.adoptDescendants();
    step('zabbix_server');

    // The frontend: a private copy whose configuration file is ours.
    const ui = join(dir, 'ui');
    cpSync(FRONTEND, ui, { recursive: true, verbatimSymlinks: true });
    const configClass = join(ui, 'include', 'classes', 'core', 'CConfigFile.php');
    const frontendConf = join(dir, 'zabbix.conf.php');
    const original = readFileSync(configClass, 'utf8');
    const patched = original.replace(/(const CONFIG_FILE_PATH = )'[^']*';/, `$1'${frontendConf}';`);
    if (patched === original) throw new Error(`${configClass}: CONFIG_FILE_PATH not found; the frontend changed`);
    writeFileSync(configClass, patched);
    writeFileSync(
      frontendConf,
      [
        '<?php',
        "$DB['TYPE'] = 'POSTGRESQL';",
        `$DB['SERVER'] = '${sock}';`,
        "$DB['PORT'] = '0';",
        "$DB['DATABASE'] = 'zabbix';",
        "$DB['USER'] = 'zabbix';",
        "$DB['PASSWORD'] = '';",
        "$DB['SCHEMA'] = '';",
        "$DB['ENCRYPTION'] = false;",
        "$DB['KEY_FILE'] = '';",
        "$DB['CERT_FILE'] = '';",
        "$DB['CA_FILE'] = '';",
        "$DB['VERIFY_HOST'] = false;",
        "$DB['CIPHER_LIST'] = '';",
        "$DB['VAULT_URL'] = '';",
        "$DB['VAULT_DB_PATH'] = '';",
        "$DB['VAULT_TOKEN'] = '';",
        "$DB['DOUBLE_IEEE754'] = true;",
        "$ZBX_SERVER_NAME = 'bonding-agentx test';",
        '$IMAGE_FORMAT_DEFAULT = IMAGE_FORMAT_PNG;',
        '',
      ].join('\n'),
    );
    let api: ZabbixApi | undefined;
    for (let attempt = 1; api === undefined; attempt++) {
      const port = await freeTcpPort();
      const php = await spawnOwned('/usr/bin/php', ['-S', `127.0.0.1:${port}`, '-t', ui], { cwd: dir });
      const url = `http://127.0.0.1:${port}/api_jsonrpc.php`;
      for (let deadline = Date.now() + 15_000; php.isRunning() && Date.now() < deadline; await sleep(100)) {
        try {
          await ZabbixApi.version(url);
          api = await ZabbixApi.login(url, 'Admin', 'zabbix');
          break;
        } catch {
          // not listening yet
        }
      }
      if (api !== undefined) {
        started.push(php);
        break;
      }
      await php.stop();
      if (attempt >= 3) throw new Error(`php -S on 127.0.0.1:${port} did not serve the API:\n${php.output()}`);
    }

    step('frontend and API login');
    return {
      dir,
      api,
      timings,
      serverLog: log,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}
