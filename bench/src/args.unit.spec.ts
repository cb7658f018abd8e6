import { parseBenchArgs } from './args';

const known = ['commands', 'projection', 'avro'];

describe('parseBenchArgs', () => {
  it('runs every benchmark in full by default', () => {
    expect(parseBenchArgs([], known)).toEqual({ quick: false, only: known });
  });

  it('takes --quick and --only, keeping the suite order', () => {
    expect(parseBenchArgs(['--quick', '--only', 'avro', '--only', 'commands'], known)).toEqual({
      quick: true,
      only: ['commands', 'avro'],
    });
    expect(parseBenchArgs(['--only=avro,projection'], known).only).toEqual(['projection', 'avro']);
  });

  it('leaves the long benchmarks out of --quick alone, and runs them when named', () => {
    expect(parseBenchArgs(['--quick'], known, ['projection']).only).toEqual(['commands', 'avro']);
    expect(parseBenchArgs([], known, ['projection']).only).toEqual(known);
    expect(parseBenchArgs(['--quick', '--only', 'projection'], known, ['projection']).only).toEqual([
      'projection',
    ]);
  });

  it('names the benchmarks to choose from when given an unknown one', () => {
    expect(() => parseBenchArgs(['--only', 'nope'], known)).toThrow(
      'Unknown benchmark nope: choose among commands, projection, avro',
    );
  });

  it('refuses unknown options', () => {
    expect(() => parseBenchArgs(['--fast'], known)).toThrow();
  });
});
