/**
 * A private Nagios 4 core for tests (Debian's nagios4): its main config,
 * objects, status, check results and query socket all in one temp dir; the
 * daemon in the foreground, owned by the test, stopped by PID.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnManaged, type ManagedProcess } from '../support/managed-process.js';

export const NAGIOS = '/usr/sbin/nagios4';
export const NAGIOSTATS = '/usr/sbin/nagios4stats';

export interface ServiceDefinition {
  readonly description: string;
  /** `command_name!arg1!arg2`, as in a service definition. */
  readonly checkCommand: string;
}

export interface NagiosSetup {
  /** Object definitions (commands) written as a user would, after the boilerplate. */
  readonly commands: string;
  /** `$USERn$` macros of resource.cfg. */
  readonly resources: Readonly<Record<string, string>>;
  readonly services: readonly ServiceDefinition[];
  /** Directories put first on PATH for the checks (where `node` is). */
  readonly path?: readonly string[];
}

/** One service's status block of status.dat, values unescaped. */
export type ServiceStatus = Readonly<Record<string, string>>;

export class RunningNagios {
  private constructor(
    readonly dir: string,
    readonly config: string,
    readonly process: ManagedProcess,
  ) {}

  static async start(setup: NagiosSetup, prefix = 'bonding-nagios-'): Promise<RunningNagios> {
    if (!existsSync(NAGIOS)) throw new Error(`${NAGIOS} not found: install Debian's nagios4-core (.ci/run does)`);
    const dir = mkdtempSync(join(tmpdir(), prefix));
    mkdirSync(join(dir, 'checkresults'));
    const config = join(dir, 'nagios.cfg');
    writeFileSync(config, mainConfig(dir));
    writeFileSync(join(dir, 'resource.cfg'), Object.entries(setup.resources).map(([k, v]) => `$${k}$=${v}\n`).join(''));
    writeFileSync(join(dir, 'objects.cfg'), `${BOILERPLATE}\n${setup.commands}\n${setup.services.map(service).join('\n')}`);
    // The pre-flight check first: a config mistake is reported as Nagios words it.
    const verify = spawnSync(NAGIOS, ['-v', config], { encoding: 'utf8' });
    if (verify.status !== 0) throw new Error(`nagios4 -v failed:\n${verify.stdout}${verify.stderr}`);
    const env = { ...process.env, PATH: [...(setup.path ?? []), process.env.PATH ?? '/usr/bin:/bin'].join(':') };
    // No -d: Nagios stays in the foreground, its PID is ours.
    const proc = await spawnManaged(NAGIOS, [config], env);
    return new RunningNagios(dir, config, proc);
  }

  /** status.dat's servicestatus blocks, by service description. */
  services(): Map<string, ServiceStatus> {
    let text: string;
    try {
      text = readFileSync(join(this.dir, 'status.dat'), 'utf8');
    } catch {
      return new Map();
    }
    const result = new Map<string, ServiceStatus>();
    for (const block of text.matchAll(/^servicestatus \{\n([\s\S]*?)\n\s*\}/gm)) {
      const fields: Record<string, string> = {};
      for (const line of block[1]!.split('\n')) {
        const m = /^\s*([a-z_]+)=(.*)$/.exec(line);
        // status.dat escapes a newline as \n and a backslash as \\.
        if (m) fields[m[1]!] = m[2]!.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
      }
      result.set(fields.service_description ?? '', fields);
    }
    return result;
  }

  /** Waits until every service has been checked once (and the status file says so). */
  async waitForResults(count: number, timeoutMs = 90_000): Promise<Map<string, ServiceStatus>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const services = this.services();
      const checked = [...services.values()].filter((s) => s.has_been_checked === '1');
      if (checked.length === count) return services;
      if (!this.process.isRunning()) throw new Error(`nagios4 exited:\n${this.process.output()}\n${this.log()}`);
      if (Date.now() > deadline) throw new Error(`only ${checked.length} of ${count} services checked:\n${this.log()}`);
      await sleep(200);
    }
  }

  log(): string {
    try {
      return readFileSync(join(this.dir, 'nagios.log'), 'utf8');
    } catch {
      return '';
    }
  }

  perfdataFile(): string {
    try {
      return readFileSync(join(this.dir, 'service-perfdata'), 'utf8');
    } catch {
      return '';
    }
  }

  /** nagios4stats' MRTG figures (e.g. NUMSVCCRIT) from this core's status file. */
  stats(variables: readonly string[]): Map<string, number> {
    const r = spawnSync(NAGIOSTATS, ['-c', this.config, '-m', '-d', variables.join(',')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`nagios4stats failed: ${r.stdout}${r.stderr}`);
    const values = r.stdout.trim().split('\n');
    return new Map(variables.map((v, i) => [v, Number(values[i])]));
  }

  /** PIDs of processes still running with this core's files on their command line (its workers). */
  leftovers(): number[] {
    const pids: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(join('/proc', entry, 'cmdline'), 'utf8').includes(this.dir)) pids.push(Number(entry));
      } catch {
        // gone meanwhile
      }
    }
    return pids;
  }

  async stop(): Promise<void> {
    await this.process.stop(10_000);
    // Its workers leave when the core's socket closes; give them a moment.
    for (let i = 0; i < 50 && this.leftovers().length > 0; i++) await sleep(100);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function mainConfig(dir: string): string {
  const id = (n: number | undefined) => String(n ?? 0);
  const file = (name: string) => join(dir, name);
  return `${[
    `log_file=${file('nagios.log')}`,
    `cfg_file=${file('objects.cfg')}`,
    `resource_file=${file('resource.cfg')}`,
    `status_file=${file('status.dat')}`,
    'status_update_interval=1',
    `object_cache_file=${file('objects.cache')}`,
    `precached_object_file=${file('objects.precache')}`,
    `temp_file=${file('nagios.tmp')}`,
    `temp_path=${dir}`,
    `lock_file=${file('nagios.lock')}`,
    `check_result_path=${file('checkresults')}`,
    `state_retention_file=${file('retention.dat')}`,
    'retain_state_information=0',
    `command_file=${file('nagios.cmd')}`,
    'check_external_commands=0',
    `query_socket=${file('nagios.qh')}`,
    // Whoever runs the test; as root Nagios would otherwise switch to the nagios user.
    `nagios_user=${id(process.getuid?.())}`,
    `nagios_group=${id(process.getgid?.())}`,
    // Intervals in seconds, every check scheduled at once at start.
    'interval_length=1',
    // Results are collected every 10 s by default: every second here.
    'check_result_reaper_frequency=1',
    'service_inter_check_delay_method=n',
    'host_inter_check_delay_method=n',
    'enable_notifications=0',
    'enable_flap_detection=0',
    'log_rotation_method=n',
    // Nagios's own default: these are stripped from macros in commands, not from perf data.
    "illegal_macro_output_chars=`~$&|'\"<>",
    // Performance data as PNP4Nagios and other graphers take it: a spool file.
    'process_performance_data=1',
    `service_perfdata_file=${file('service-perfdata')}`,
    'service_perfdata_file_template=$SERVICEDESC$\\t$SERVICESTATE$\\t$SERVICEPERFDATA$',
    'service_perfdata_file_mode=a',
  ].join('\n')}\n`;
}

const BOILERPLATE = `
define timeperiod {
  timeperiod_name 24x7
  alias           always
  sunday 00:00-24:00
  monday 00:00-24:00
  tuesday 00:00-24:00
  wednesday 00:00-24:00
  thursday 00:00-24:00
  friday 00:00-24:00
  saturday 00:00-24:00
}
define command {
  command_name notify-nobody
  command_line /bin/true
}
define contact {
  contact_name                  nobody
  host_notifications_enabled    0
  service_notifications_enabled 0
  host_notification_period      24x7
  service_notification_period   24x7
  host_notification_options     n
  service_notification_options  n
  host_notification_commands    notify-nobody
  service_notification_commands notify-nobody
}
define host {
  host_name             bondhost
  address               127.0.0.1
  max_check_attempts    1
  check_period          24x7
  notification_period   24x7
  notification_interval 0
  contacts              nobody
}
`;

/** A service checked once at start (the interval is an hour) and HARD at once (one attempt). */
function service(s: ServiceDefinition): string {
  return `define service {
  host_name             bondhost
  service_description   ${s.description}
  check_command         ${s.checkCommand}
  max_check_attempts    1
  check_interval        3600
  retry_interval        3600
  check_period          24x7
  notification_period   24x7
  notification_interval 0
  contacts              nobody
}
`;
}

