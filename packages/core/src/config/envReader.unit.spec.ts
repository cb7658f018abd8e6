import { EnvReader } from './envReader';

describe('EnvReader', () => {
  it('reads typed values with defaults', () => {
    const env = new EnvReader({ PORT: '8090', BROKERS: 'a:1, b:2', MODE: 'kafka' });
    expect(env.int('PORT', 1)).toBe(8090);
    expect(env.int('MISSING', 7)).toBe(7);
    expect(env.list('BROKERS', [])).toEqual(['a:1', 'b:2']);
    expect(env.oneOf('MODE', ['kafka', 'embedded'], 'embedded')).toBe('kafka');
    expect(() => env.check('test')).not.toThrow();
  });

  it('lists every problem in one error', () => {
    const env = new EnvReader({ PORT: 'eighty', PARTITIONS: '0', MODE: 'carrier-pigeon' });
    env.int('PORT', 8090, { min: 1, max: 65535 });
    env.int('PARTITIONS', 12, { min: 1 });
    env.oneOf('MODE', ['kafka', 'embedded'], 'kafka');
    env.string('KAFKA_BROKERS');
    env.problem('A and B contradict each other');
    expect(() => env.check('command service')).toThrow(
      'command service configuration is invalid: PORT must be an integer from 1 to 65535, not "eighty"; PARTITIONS must be an integer from 1 to 9007199254740991, not "0"; MODE must be one of kafka, embedded, not "carrier-pigeon"; KAFKA_BROKERS is required; A and B contradict each other',
    );
  });
});
