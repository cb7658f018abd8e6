import { ERASED } from '@eventfold/core';
import { evolveRecipient, type Recipient } from '../recipients/recipient';
import { userStream } from '../testing/userEvents';
import { notificationsFor } from './notificationsFor';

describe('the emails an event calls for', () => {
  const ada = userStream();
  const registered = ada.registered('Ada', 'ada@example.com');
  const emailChanged = ada.emailChanged('ada@example.org');
  const renamed = ada.nameChanged('Ada King', 'marriage');
  const corrected = ada.nameCorrected('Ada King-Noel', 'spelling');
  const deactivated = ada.deactivated();
  const recipientAfter = (count: number) =>
    ada.events.slice(0, count).reduce<Recipient | null>((r, e) => evolveRecipient(r, e).recipient, null);

  it('a welcome email to the registered address, with a deterministic Message-ID', () => {
    const [welcome, ...rest] = notificationsFor(registered, recipientAfter(1));
    expect(rest).toEqual([]);
    const id = registered.metadata.eventId;
    expect(welcome).toMatchObject({
      template: 'welcome',
      to: 'ada@example.com',
      vars: { name: 'Ada', email: 'ada@example.com' },
      key: `${id}:welcome`,
      messageId: `<${id}.welcome@eventfold>`,
      source: { eventId: id, eventType: 'UserRegistered', streamId: ada.streamId, version: 1 },
    });
    expect(notificationsFor(registered, recipientAfter(1))).toEqual([welcome]);
  });

  it('no welcome for an imported user, who has had an account all along; later emails reach it as any user', () => {
    const grace = userStream();
    const imported = grace.imported('Grace', 'grace@example.com');
    expect(notificationsFor(imported, evolveRecipient(null, imported).recipient)).toEqual([]);
    const renamed = grace.nameChanged('Grace Hopper');
    const recipient = grace.events.reduce<Recipient | null>((r, e) => evolveRecipient(r, e).recipient, null);
    expect(notificationsFor(renamed, recipient).map((n) => [n.template, n.to])).toEqual([
      ['name-changed', 'grace@example.com'],
    ]);
  });

  it('an email change: a confirmation to the new address and a notice to the old one', () => {
    const sent = notificationsFor(emailChanged, recipientAfter(2));
    expect(sent.map((n) => [n.template, n.to])).toEqual([
      ['email-change-confirmation', 'ada@example.org'],
      ['email-change-notice', 'ada@example.com'],
    ]);
    expect(sent[0]!.vars).toEqual({ name: 'Ada', newEmail: 'ada@example.org' });
    expect(new Set(sent.map((n) => n.messageId)).size).toBe(2);
  });

  it('name changes and corrections: a notice to the current address', () => {
    expect(notificationsFor(renamed, recipientAfter(3)).map((n) => [n.template, n.to, n.vars])).toEqual([
      ['name-changed', 'ada@example.org', { oldName: 'Ada', newName: 'Ada King', reason: 'marriage' }],
    ]);
    expect(notificationsFor(corrected, recipientAfter(4)).map((n) => [n.template, n.to])).toEqual([
      ['name-corrected', 'ada@example.org'],
    ]);
  });

  it('a name change of a user whose address is unknown still yields the notice, without a recipient', () => {
    expect(notificationsFor(renamed, null).map((n) => n.to)).toEqual([null]);
  });

  it('no email for deactivation', () => {
    expect(notificationsFor(deactivated, recipientAfter(5))).toEqual([]);
  });

  it('no email for forgetting', () => {
    const forgotten = ada.forgotten('erasure request');
    expect(notificationsFor(forgotten, recipientAfter(6))).toEqual([]);
  });

  it('no email to an erased address (events of a forgotten user, replayed)', () => {
    const erased = userStream();
    const welcome = erased.registered(ERASED, ERASED);
    const changed = erased.emailChanged(ERASED);
    expect(notificationsFor(welcome, null)).toEqual([]);
    expect(notificationsFor(changed, null)).toEqual([]);
  });
});
