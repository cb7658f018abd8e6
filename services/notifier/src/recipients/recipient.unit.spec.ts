import { userStream } from '../testing/userEvents';
import { evolveRecipient, type Recipient } from './recipient';

describe('the recipients projection', () => {
  it('follows a user through registration, email and name changes, deactivation', () => {
    const ada = userStream();
    const events = [
      ada.registered('Ada', 'ada@example.com', 'en'),
      ada.emailChanged('ada@example.org'),
      ada.nameCorrected('Ada K', 'typo'),
      ada.deactivated(),
    ];
    const recipient = events.reduce<Recipient | null>((r, e) => evolveRecipient(r, e).recipient, null);
    expect(recipient).toEqual({
      streamId: ada.streamId,
      userId: ada.userId,
      email: 'ada@example.org',
      name: 'Ada K',
      locale: 'en',
      active: false,
      version: 4,
    });
  });

  it('drops the address and the name of a forgotten user, and keeps the rest', () => {
    const ada = userStream();
    const events = [ada.registered('Ada', 'ada@example.com', 'en'), ada.forgotten('erasure request')];
    const recipient = events.reduce<Recipient | null>((r, e) => evolveRecipient(r, e).recipient, null);
    expect(recipient).toEqual({
      streamId: ada.streamId,
      userId: ada.userId,
      email: null,
      name: null,
      locale: 'en',
      active: true,
      version: 2,
    });
  });

  it('ignores an event it has already applied (redelivery, replay): version guard', () => {
    const ada = userStream();
    const registered = ada.registered('Ada', 'ada@example.com');
    const changed = ada.emailChanged('ada@example.org');
    const after = evolveRecipient(evolveRecipient(null, registered).recipient, changed).recipient;
    expect(evolveRecipient(after, registered)).toEqual({ recipient: after, outcome: 'duplicate' });
    expect(evolveRecipient(after, changed)).toEqual({ recipient: after, outcome: 'duplicate' });
  });

  it('applies an event after a gap (events carry absolute values) and says so', () => {
    const ada = userStream();
    const registered = ada.registered('Ada', 'ada@example.com');
    ada.nameChanged('Ada B');
    const renamed = ada.nameChanged('Ada C');
    const { recipient, outcome } = evolveRecipient(evolveRecipient(null, registered).recipient, renamed);
    expect(outcome).toBe('gap');
    expect(recipient).toMatchObject({ name: 'Ada C', email: 'ada@example.com', version: 3 });
  });

  it('starts from what an event carries when the registration was never seen', () => {
    const ada = userStream();
    ada.registered('Ada', 'ada@example.com');
    const { recipient } = evolveRecipient(null, ada.emailChanged('ada@example.org'));
    expect(recipient).toMatchObject({ email: 'ada@example.org', name: null, version: 2 });
  });
});
