import nodemailer from 'nodemailer';
import { receivedMail } from '../mailbox';
import { randomName } from '../names';
import { testEndpoints } from '../endpoints';
import { waitFor } from '../waitFor';

describe('SMTP server (real)', () => {
  it('keeps an email sent with nodemailer where the test can read it back', async () => {
    const transport = nodemailer.createTransport(testEndpoints().smtpUrl);
    const recipient = `${randomName('smoke')}@example.test`;
    await transport.sendMail({
      from: 'eventfold@example.test',
      to: recipient,
      subject: 'Smoke',
      text: 'Hello from the smoke test',
    });
    transport.close();
    const [mail] = await waitFor(
      () => {
        const found = receivedMail(recipient);
        return found.length > 0 && found;
      },
      { description: `mail to ${recipient}` },
    );
    expect(mail).toMatchObject({ subject: 'Smoke', envelope: { rcptTo: [recipient] } });
    expect(mail?.text?.trim()).toBe('Hello from the smoke test');
  });
});
