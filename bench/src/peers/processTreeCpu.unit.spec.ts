import { parentPidOfProcStat, processTree } from './processTreeCpu';

describe('process trees', () => {
  it('reads the parent pid, counting fields from the last parenthesis of the command name', () => {
    const stat =
      '4242 (gunicorn: worker (wsgi:app)) S 4200 4200 4200 0 -1 4194560 3000 0 0 0 120 30 0 0 20 0 3 0';
    expect(parentPidOfProcStat(stat)).toBe(4200);
  });

  it('refuses a line that is not a stat line', () => {
    expect(() => parentPidOfProcStat('nonsense')).toThrow('Not a /proc/<pid>/stat line');
  });

  it('finds this process at the root of its own tree', () => {
    expect(processTree(process.pid)[0]).toBe(process.pid);
  });
});
