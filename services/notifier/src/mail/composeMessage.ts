import MailComposer from 'nodemailer/lib/mail-composer';
import type { RenderedEmail } from '../templates/templates';

export interface MessageParts {
  readonly from: string;
  readonly to: string;
  readonly messageId: string;
  readonly date: Date;
  readonly rendered: RenderedEmail;
  /** Extra headers, such as the event id and template: ids only. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The MIME message (multipart/alternative: text and HTML) with nodemailer's composer. The Message-ID is ours and
 * deterministic, so every attempt for one (event, template) is the same message to a receiver.
 */
export function composeMessage(parts: MessageParts): Promise<Buffer> {
  return new MailComposer({
    from: parts.from,
    to: parts.to,
    subject: parts.rendered.subject,
    text: parts.rendered.text,
    html: parts.rendered.html,
    messageId: parts.messageId,
    date: parts.date,
    headers: {
      // RFC 3834: automatic mail; auto-responders should not answer it.
      'Auto-Submitted': 'auto-generated',
      ...parts.headers,
    },
  })
    .compile()
    .build();
}
