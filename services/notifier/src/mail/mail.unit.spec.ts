import { isPermanentSmtpFailure, ledgerErrorOf, withoutAddresses } from './mailErrors';
import { parseSmtpUrl } from './smtpUrl';

describe('SMTP failures as the ledger keeps them', () => {
  it('keeps the code and the reply code, never an address', () => {
    const error = Object.assign(new Error('Message failed: 550 5.1.1 <ada@example.com>: no such user'), {
      code: 'EMESSAGE',
      responseCode: 550,
    });
    expect(ledgerErrorOf(error)).toEqual({
      code: 'EMESSAGE',
      message: 'Message failed: 550 5.1.1 <[address]>: no such user',
      responseCode: 550,
    });
    expect(withoutAddresses('to a.b+c@d.example, from x@y.zz')).toBe('to [address], from [address]');
  });

  it('treats a 5xx reply as permanent; 4xx, timeouts, lost connections and failed logins as transient', () => {
    const of = (code: string, responseCode: number | null) => ({ code, message: '', responseCode });
    expect(isPermanentSmtpFailure(of('EENVELOPE', 550))).toBe(true);
    expect(isPermanentSmtpFailure(of('EMESSAGE', 554))).toBe(true);
    expect(isPermanentSmtpFailure(of('EMESSAGE', 451))).toBe(false);
    expect(isPermanentSmtpFailure(of('ETIMEDOUT', null))).toBe(false);
    expect(isPermanentSmtpFailure(of('ECONNECTION', null))).toBe(false);
    expect(isPermanentSmtpFailure(of('EAUTH', 535))).toBe(false);
    expect(ledgerErrorOf('weird')).toEqual({ code: 'SMTP_ERROR', message: 'weird', responseCode: null });
  });
});

describe('SMTP_URL', () => {
  it('reads host, port, TLS and credentials', () => {
    expect(parseSmtpUrl('smtp://127.0.0.1:2525')).toEqual({
      host: '127.0.0.1',
      port: 2525,
      secure: false,
      auth: null,
    });
    expect(parseSmtpUrl('smtps://me%40x:p%2Fw@mail.example.com')).toEqual({
      host: 'mail.example.com',
      port: 465,
      secure: true,
      auth: { user: 'me@x', pass: 'p/w' },
    });
    expect(parseSmtpUrl('smtp://mail.example.com').port).toBe(587);
  });

  it('refuses what is not an SMTP URL, saying what to write instead', () => {
    expect(() => parseSmtpUrl('mail.example.com:25')).toThrow(/smtp:\/\/ or smtps:\/\//);
    expect(() => parseSmtpUrl('http://mail.example.com')).toThrow(/not http:/);
  });
});
