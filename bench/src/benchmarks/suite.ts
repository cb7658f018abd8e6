import type { Benchmark } from './benchmark';
import { avroCodec } from './avroCodec';
import { captureBenchmark } from './capture';
import { commandThroughput } from './commandThroughput';
import { followersBenchmark } from './followers';
import { gatewayOverhead } from './gatewayOverhead';
import { peersBenchmark } from './peers';
import { projectionRate } from './projectionRate';
import { rebuildRate } from './rebuildRate';
import { restore } from './restore';
import { visibilityLatency } from './visibilityLatency';
import { wholeStack } from './wholeStack';

/**
 * Every benchmark, in the order a full run takes them: visibility loads at half the command rate measured
 * before it, rebuild divides by it, and projection and rebuild share one log. Capture and peers come last: each starts
 * its own PostgreSQL and deletes it afterwards.
 */
export const benchmarks: readonly Benchmark[] = [
  commandThroughput,
  projectionRate,
  rebuildRate,
  visibilityLatency,
  restore,
  followersBenchmark,
  wholeStack,
  gatewayOverhead,
  avroCodec,
  captureBenchmark,
  peersBenchmark,
];
