import { cpuSecondsOfProcStat, statusKiB } from './procStat';

describe('cpuSecondsOfProcStat', () => {
  it('adds utime and stime, in seconds', () => {
    const line =
      '4242 (node) S 1 4242 4242 0 -1 4194560 9000 0 0 0 1250 375 0 0 20 0 11 0 1014758 1200000000 50000 ...';
    expect(cpuSecondsOfProcStat(line)).toBeCloseTo(16.25, 6);
  });

  it('finds the fields after a command name holding spaces and parentheses', () => {
    const line = '7 (my (odd) name) R 1 7 7 0 -1 0 0 0 0 0 200 100 0 0 20 0 1 0 5 0 0';
    expect(cpuSecondsOfProcStat(line)).toBeCloseTo(3, 6);
  });

  it('refuses text that is not a stat line', () => {
    expect(() => cpuSecondsOfProcStat('nonsense')).toThrow(/stat line/);
  });
});

describe('statusKiB', () => {
  const status =
    'Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  183204 kB\nVmRSS:\t  150100 kB\nThreads:\t11\n';

  it('reads the peak and the current resident set, in KiB', () => {
    expect(statusKiB(status, 'VmHWM')).toBe(183204);
    expect(statusKiB(status, 'VmRSS')).toBe(150100);
  });

  it('refuses a status without the line (a kernel thread has none)', () => {
    expect(() => statusKiB('Name:\tkthreadd\n', 'VmHWM')).toThrow(/No VmHWM/);
  });
});
