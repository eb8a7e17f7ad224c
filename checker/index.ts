/** Public surface of the generic explicit-state model checker. */
export * from './model.js';
export { check } from './explore.js';
export { simulate, Prng } from './simulate.js';
export type { CheckOptions, LimitOptions, SimulateOptions } from './options.js';
export type {
  ActionStats,
  CheckResult,
  Progress,
  PropertyKind,
  PropertyReport,
  PropertyStatus,
  Stats,
  StopReason,
  Trace,
  Violation,
  ViolationKind,
} from './result.js';
export { immutableCodec, type ImmutableCodecOptions, type ImmutableConstructors, type RecordFactoryLike } from './codec.js';
export { jsonEqual, toItfValue } from './itf.js';
export {
  ITF_FORMAT_DESCRIPTION,
  parseItfTrace,
  readTraceFile,
  replayTrace,
  resultToJson,
  traceActions,
  traceToItf,
  violationsAlong,
  writeTraceFile,
  type ItfState,
  type ItfStateMeta,
  type ItfTrace,
  type ReplayResult,
  type TraceInfo,
  type TraceViolation,
} from './traceFile.js';
export { collisionProbability, fingerprintHex, fingerprintOf, hash64, type Fingerprint } from './fingerprint.js';
export { SeenSet, NO_PARENT } from './seenSet.js';
export { modelFromFactory } from './factory.js';
export type { CompositionalStats, Decomposition } from './compositional.js';
export {
  checkCompositionally,
  type CompositionalCheckOptions,
  type CompositionalCheckResult,
  type CompositionalReport,
} from './compositionalCheck.js';
