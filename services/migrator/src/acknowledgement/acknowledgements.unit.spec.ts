import { Acknowledgements, lsnToBigInt } from './acknowledgements';

describe('Acknowledgements', () => {
  it('acknowledges nothing before a transaction is settled', () => {
    const acks = new Acknowledgements();
    acks.received('0/100', 1000);
    expect(acks.position()).toBeNull();
    expect(acks.oldestWaiting()).toBe(1000);
  });

  it('acknowledges the end of a settled transaction', () => {
    const acks = new Acknowledgements();
    acks.received('0/100', 1000);
    acks.settled('0/100');
    expect(acks.position()).toBe('0/100');
    expect(acks.oldestWaiting()).toBeNull();
  });

  it('holds the position at the last contiguous settled transaction, however many after it are settled', () => {
    const acks = new Acknowledgements();
    acks.received('0/100', 1000);
    acks.received('0/200', 2000);
    acks.received('0/300', 3000);
    acks.settled('0/100');
    acks.settled('0/300');
    expect(acks.position()).toBe('0/100');
    expect(acks.oldestWaiting()).toBe(2000);
    acks.settled('0/200');
    expect(acks.position()).toBe('0/300');
  });

  it('moves to a keepalive position only forward, and only with nothing unsettled', () => {
    const acks = new Acknowledgements();
    acks.received('0/100', 1000);
    expect(() => acks.idleAt('0/180')).toThrow('Not idle');
    acks.settled('0/100');
    acks.idleAt('0/180');
    expect(acks.position()).toBe('0/180');
    acks.idleAt('0/150');
    expect(acks.position()).toBe('0/180');
  });

  it('refuses to settle what was never received', () => {
    expect(() => new Acknowledgements().settled('0/100')).toThrow('No transaction ending at 0/100');
  });

  it('reads an LSN as bytes', () => {
    expect(lsnToBigInt('1/0') - lsnToBigInt('0/FFFFFFFF')).toBe(1n);
    expect(lsnToBigInt('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
  });
});
