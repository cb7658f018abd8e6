import { maskEmail } from './html';
import { renderEmail, TemplateName, templateNames, type TemplateVars } from './templates';

const hostile = `Ada <script>alert("x")</script> & 'Co'`;

const examples: { [T in TemplateName]: TemplateVars[T] } = {
  [TemplateName.Welcome]: { name: hostile, email: 'ada+<x>@example.com' },
  [TemplateName.EmailChangeConfirmation]: { name: hostile, newEmail: 'ada+<x>@example.org' },
  [TemplateName.EmailChangeNotice]: { name: hostile, newEmail: '<x>ada@example.org' },
  [TemplateName.NameChanged]: { oldName: 'Ada Lovelace', newName: hostile, reason: '<b>marriage</b>' },
  [TemplateName.NameCorrected]: { oldName: 'Ada Lovelce', newName: hostile, reason: '<i>typo</i>' },
};

describe('email templates', () => {
  it.each(templateNames)('%s renders a subject, a text and an HTML body', (template) => {
    const email = renderEmail(template, examples[template] as never);
    expect(email.subject.length).toBeGreaterThan(0);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text).toMatch(/eventfold/);
    expect(email.html).toMatch(/^<!doctype html>/);
  });

  it.each(templateNames)('%s escapes every user-supplied value in the HTML', (template) => {
    const { html } = renderEmail(template, examples[template] as never);
    expect(html).not.toMatch(/<script|<b>|<i>|<x>/);
    expect(html).not.toContain(`'Co'`);
    if (template !== TemplateName.EmailChangeNotice) expect(html).toContain('&lt;script&gt;');
  });

  it('puts the values in the text as they are (plain text needs no escaping)', () => {
    const { text, subject } = renderEmail(TemplateName.Welcome, {
      name: 'Zoë O’Brien',
      email: 'zoe@example.ie',
    });
    expect(subject).toBe('Welcome to eventfold, Zoë O’Brien');
    expect(text).toContain('Hello Zoë O’Brien,');
    expect(text).toContain('zoe@example.ie');
  });

  it('greets by name when known, and without one when not', () => {
    const withName = renderEmail(TemplateName.EmailChangeConfirmation, { name: 'Ada', newEmail: 'a@b.cd' });
    const without = renderEmail(TemplateName.EmailChangeConfirmation, { name: null, newEmail: 'a@b.cd' });
    expect(withName.text.startsWith('Hello Ada,')).toBe(true);
    expect(without.text.startsWith('Hello,')).toBe(true);
  });

  it('shows the old address only a masked form of the new one', () => {
    const notice = renderEmail(TemplateName.EmailChangeNotice, {
      name: 'Ada',
      newEmail: 'ada.king@example.org',
    });
    expect(notice.text).toContain('a***@example.org');
    expect(notice.text + notice.html).not.toContain('ada.king@example.org');
    expect(maskEmail('x@y.zz')).toBe('x***@y.zz');
    expect(maskEmail('no-at-sign')).toBe('***');
  });

  it('keeps a header-breaking name on one subject line', () => {
    const { subject } = renderEmail(TemplateName.Welcome, {
      name: 'Ada\r\nBcc: all@example.com',
      email: 'a@b.cd',
    });
    expect(subject).toBe('Welcome to eventfold, Ada Bcc: all@example.com');
  });

  it('mentions the reason of a name change only when there is one', () => {
    const vars = { oldName: 'A', newName: 'B' };
    expect(renderEmail(TemplateName.NameChanged, { ...vars, reason: null }).text).not.toContain('Reason');
    expect(renderEmail(TemplateName.NameChanged, { ...vars, reason: 'marriage' }).text).toContain(
      'Reason given: marriage',
    );
  });
});
