import { serverSource } from './serverSource';

describe('where test servers come from', () => {
  it('is testcontainers where a Docker engine answers', () => {
    expect(serverSource({}, () => true)).toBe('testcontainers');
  });

  it('is the local processes where none answers', () => {
    expect(serverSource({}, () => false)).toBe('local processes');
  });

  it('is the local processes with EVENTFOLD_INFRA=local, without asking Docker', () => {
    const docker = jest.fn(() => true);
    expect(serverSource({ EVENTFOLD_INFRA: 'local' }, docker)).toBe('local processes');
    expect(docker).not.toHaveBeenCalled();
  });
});
