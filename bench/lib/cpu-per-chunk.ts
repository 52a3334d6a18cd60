// CPU per delivered chunk of each process a row kept busy (the server, its PostgreSQL, the load
// generator), and at a saturation scenario the rate the machine's cores would allow at that cost
// if they were never idle. The three share the cores, so a throughput figure is bounded by their
// sum: this tells a host too slow for a target from a gateway that spends more than it did.
import type { Measurement } from './result-types';

export interface CpuPerChunk {
  serverUs: number;
  /** PostgreSQL's processes; null where the database runs inside the server (PGlite, baseline). */
  databaseUs: number | null;
  generatorUs: number;
  totalUs: number;
  /** cores x 1 s / totalUs; null where the sends were paced or sequential (rate not CPU-bound). */
  ceilingPerSecond: number | null;
}

/** µs of CPU per chunk from a CPU share (100 = one core) over the interval's chunks per second. */
export function perChunk(cpuPercent: number, chunksPerSecond: number): number {
  return (cpuPercent * 10_000) / chunksPerSecond;
}

export function cpuPerChunk(
  m: Measurement,
  cores: number,
  saturation: boolean,
): CpuPerChunk | null {
  if (m.idle !== null || !(m.chunksPerSecond > 0)) return null;
  const serverUs = perChunk(m.serverCpuPercent, m.chunksPerSecond);
  const databaseUs = m.dbCpuPercent === null ? null : perChunk(m.dbCpuPercent, m.chunksPerSecond);
  const generatorUs = perChunk(m.generatorCpuPercent, m.chunksPerSecond);
  const totalUs = serverUs + (databaseUs ?? 0) + generatorUs;
  return {
    serverUs,
    databaseUs,
    generatorUs,
    totalUs,
    ceilingPerSecond: saturation && totalUs > 0 ? (cores * 1_000_000) / totalUs : null,
  };
}
