import { describe, expect, it } from 'vitest';
import {
  ClusterError,
  formatClusterFile,
  labStaticParams,
  parseClusterFile,
  replicaConstantsOf,
  wireMaxIntegerVal,
} from '../../../impl/node/cluster.js';

const three = ['127.0.0.1:4001', '127.0.0.1:4002', '127.0.0.1:4003'];

function error(text: string): string {
  try {
    parseClusterFile(text, 'c.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ClusterError);
    return (e as Error).message;
  }
  throw new Error('expected a ClusterError');
}

describe('cluster file', () => {
  it('takes the lab StaticParams as defaults and the wire integer bound as max_integer_val', () => {
    const spec = parseClusterFile(JSON.stringify({ replicas: three }), 'c.json');
    expect(spec.params).toEqual({ ...labStaticParams, maxIntegerVal: wireMaxIntegerVal });
    expect(labStaticParams).toEqual({
      maxLogLength: 1000,
      baselineViewTimeoutPeriod: 1000,
      heartbeatPeriod: 30,
      maxBatchSize: 32,
      maxBatchDelay: 10,
    });
  });

  it('overrides parameters and round-trips through the file it writes', () => {
    const spec = parseClusterFile(formatClusterFile(three, { maxBatchDelay: 0 }), 'c.json');
    expect(spec.replicas).toEqual(three);
    expect(spec.params.maxBatchDelay).toBe(0);
    expect(replicaConstantsOf(spec, 2)).toEqual({ myIndex: 2, config: { replicaIds: three }, params: spec.params });
  });

  it('rejects bad files with one-line messages naming the file and the field', () => {
    const cases: [string, RegExp][] = [
      ['{', /c\.json: not valid JSON/],
      ['[]', /expected a JSON object/],
      ['{"replicas": []}', /non-empty array/],
      ['{"replicas": ["localhost:1"]}', /replicas\[0\] = "localhost:1" is not an "a.b.c.d:port" address/],
      ['{"replicas": ["10.0.0.1:4001"]}', /loopback only/],
      ['{"replicas": ["127.0.0.1:0"]}', /port > 0/],
      ['{"replicas": ["127.0.0.1:1", "127.0.0.1:1"]}', /replicas\[1\] = "127.0.0.1:1" is listed twice/],
      ['{"replicas": ["127.0.0.1:1"], "extra": 1}', /unknown key "extra"/],
      ['{"replicas": ["127.0.0.1:1"], "params": {"maxBatchSize": 0}}', /params.maxBatchSize = 0 must be an integer in 1..1000/],
      ['{"replicas": ["127.0.0.1:1"], "params": {"heartbeatPeriod": 1.5}}', /params.heartbeatPeriod = 1.5/],
      ['{"replicas": ["127.0.0.1:1"], "params": {"maxLogLength": 1001}}', /params.maxLogLength = 1001/],
      ['{"replicas": ["127.0.0.1:1"], "params": {"batch": 3}}', /unknown parameter "batch"/],
    ];
    for (const [text, re] of cases) {
      const m = error(text);
      expect(m).toMatch(re);
      expect(m).not.toContain('\n');
    }
    const spec = parseClusterFile(JSON.stringify({ replicas: three }), 'c.json');
    expect(() => replicaConstantsOf(spec, 3)).toThrow(/replica index 3 is outside the cluster \(0..2\)/);
  });
});
