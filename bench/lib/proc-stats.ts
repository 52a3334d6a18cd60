// Server-side resource figures read from /proc: resident memory (VmRSS, and its high-water mark
// VmHWM for the peak) and CPU time (utime + stime, in clock ticks).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export const CLOCK_TICKS_PER_SECOND =
  Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface Memory {
  rssKb: number;
  peakRssKb: number;
}

export function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssKb: statusField(status, 'VmRSS'), peakRssKb: statusField(status, 'VmHWM') };
}

function statusField(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  if (match === null) throw new Error(`/proc status has no ${name}`);
  return Number(match[1]);
}

/** utime + stime of one process, in clock ticks; null once it is gone. */
export function readCpuTicks(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  return ownTicks(statFields(stat));
}

/** utime + stime from statFields. */
function ownTicks(fields: string[]): number {
  return Number(fields[11]) + Number(fields[12]); // fields 14 (utime) and 15 (stime)
}

/** The fields of /proc/PID/stat after the command name, which may hold spaces: [0] is field 3. */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The machine's CPU time so far, summed over its cores, in clock ticks (/proc/stat). */
export interface MachineCpu {
  /** idle + iowait: time no thread wanted a core. */
  idleTicks: number;
  /** Every state but guest time, which the kernel already counts in user time. */
  totalTicks: number;
}

export function readMachineCpu(): MachineCpu {
  return machineCpuFrom(readFileSync('/proc/stat', 'utf8'));
}

/** From /proc/stat's first line: `cpu user nice system idle iowait irq softirq steal guest ...`. */
export function machineCpuFrom(stat: string): MachineCpu {
  const match = /^cpu +(.*)$/m.exec(stat);
  if (match === null) throw new Error('/proc/stat has no cpu line');
  // Older kernels print fewer columns; a column not printed counts as none.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    match[1].split(/ +/).map(Number);
  return {
    idleTicks: idle + iowait,
    totalTicks: user + nice + system + idle + iowait + irq + softirq + steal,
  };
}

/** The cores' idle share between two readings (100 = every core idle throughout). */
export function idlePercentBetween(before: MachineCpu, after: MachineCpu): number | null {
  const total = after.totalTicks - before.totalTicks;
  return total > 0 ? ((after.idleTicks - before.idleTicks) / total) * 100 : null;
}

/** What a PostgreSQL server process does, from the title it sets (`postgres: 15/main: walwriter`). */
export type PostgresRole =
  | 'backends'
  | 'autovacuum'
  | 'wal writer'
  | 'checkpointer'
  | 'background writer'
  | 'postmaster'
  | 'other'
  /** Processes that ended within the interval (autovacuum workers, closed connections). */
  | 'exited';

export interface PostgresCpuSnapshot {
  byPid: Map<number, { ticks: number; role: PostgresRole }>;
  /** cutime + cstime of every postgres process: the CPU of the children the postmaster reaped. */
  reapedTicks: number;
}

export function postgresRole(cmdline: string): PostgresRole {
  if (!cmdline.startsWith('postgres:')) return 'postmaster';
  if (/\(\d+\)|\[local\]/.test(cmdline)) return 'backends';
  if (cmdline.includes('autovacuum')) return 'autovacuum';
  if (cmdline.includes('walwriter')) return 'wal writer';
  if (cmdline.includes('checkpointer')) return 'checkpointer';
  if (cmdline.includes('background writer')) return 'background writer';
  return 'other';
}

/** The CPU ticks of every `postgres` process on the machine, each with its role. */
export function postgresCpu(): PostgresCpuSnapshot {
  const byPid = new Map<number, { ticks: number; role: PostgresRole }>();
  let reapedTicks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    let stat: string;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended while we looked
    }
    const fields = statFields(stat);
    byPid.set(Number(entry), { ticks: ownTicks(fields), role: postgresRole(cmdline) });
    reapedTicks += Number(fields[13]) + Number(fields[14]); // fields 16 (cutime) and 17 (cstime)
  }
  return { byPid, reapedTicks };
}

/**
 * CPU ticks spent between two snapshots, by role. A process that ended in between is counted
 * through its parent's reaped-children time (its whole life), less what it had spent before the
 * interval; one born in between counts whole. Reading only the living processes missed the
 * short-lived ones, autovacuum workers among them.
 */
export function postgresCpuBetween(
  before: PostgresCpuSnapshot,
  after: PostgresCpuSnapshot,
): Map<PostgresRole, number> {
  const byRole = new Map<PostgresRole, number>();
  const add = (role: PostgresRole, ticks: number): void => {
    byRole.set(role, (byRole.get(role) ?? 0) + ticks);
  };
  for (const [pid, { ticks, role }] of after.byPid)
    add(role, ticks - (before.byPid.get(pid)?.ticks ?? 0));
  let exited = after.reapedTicks - before.reapedTicks;
  for (const [pid, { ticks }] of before.byPid) if (!after.byPid.has(pid)) exited -= ticks;
  if (exited > 0) add('exited', exited);
  return byRole;
}

export function openFileLimit(): string {
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return match === null ? 'unknown' : `soft ${match[1]}, hard ${match[2]}`;
}
