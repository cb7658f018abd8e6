import { chromiumExecutable } from './chromium';

describe('chromiumExecutable', () => {
  const saved = { path: process.env.PATH, chromium: process.env.CHROMIUM_PATH };
  afterEach(() => {
    process.env.PATH = saved.path;
    if (saved.chromium === undefined) delete process.env.CHROMIUM_PATH;
    else process.env.CHROMIUM_PATH = saved.chromium;
  });

  it('fails, saying how to install it, where no chromium is on the PATH (the browser tests fail, never skip)', () => {
    delete process.env.CHROMIUM_PATH;
    process.env.PATH = '/nonexistent';
    expect(() => chromiumExecutable()).toThrow(/Chromium is not installed.*apt-get install chromium/);
  });

  it('takes CHROMIUM_PATH when it names a file, and refuses one that does not exist', () => {
    process.env.CHROMIUM_PATH = process.execPath;
    expect(chromiumExecutable()).toBe(process.execPath);
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    expect(() => chromiumExecutable()).toThrow('CHROMIUM_PATH=/nonexistent/chromium does not exist');
  });
});
