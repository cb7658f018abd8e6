import { brokerThreads } from './kafka';

describe('the local broker’s threads', () => {
  it('takes the cores of a small machine, not a dedicated server’s defaults', () => {
    expect(brokerThreads(2)).toEqual(['num.network.threads=1', 'num.io.threads=2', 'background.threads=2']);
    expect(brokerThreads(1)).toEqual(['num.network.threads=1', 'num.io.threads=2', 'background.threads=2']);
  });

  it('stops at Kafka’s own defaults on a large one', () => {
    expect(brokerThreads(64)).toEqual(['num.network.threads=3', 'num.io.threads=8', 'background.threads=10']);
  });
});
