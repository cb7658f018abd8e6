import type { Benchmark } from './benchmark';
import { avroCodec } from './avroCodec';
import { commandThroughput } from './commandThroughput';
import { gatewayOverhead } from './gatewayOverhead';
import { projectionRate } from './projectionRate';
import { rebuildRate } from './rebuildRate';
import { restore } from './restore';
import { visibilityLatency } from './visibilityLatency';

/**
 * Every benchmark, in the order a full run takes them: visibility loads at half the command rate measured
 * before it, rebuild divides by it, and projection and rebuild share one log.
 */
export const benchmarks: readonly Benchmark[] = [
  commandThroughput,
  projectionRate,
  rebuildRate,
  visibilityLatency,
  restore,
  gatewayOverhead,
  avroCodec,
];
