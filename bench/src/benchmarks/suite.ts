import type { Benchmark } from './benchmark';
import { commandThroughput } from './commandThroughput';

/** Every benchmark, in the order a full run takes them (visibility uses the command rate measured before it). */
export const benchmarks: readonly Benchmark[] = [commandThroughput];
