import { mailFailureOf } from './mail-sender';
import { MailDeliveryError } from './outgoing-mail';

describe('mailFailureOf', () => {
  it('makes a 5xx reply a permanent rejection, and a 4xx or 503 a transient SMTP error', () => {
    expect(mailFailureOf(Object.assign(new Error('550 no such user abuse@host.test'), { code: 'EENVELOPE', responseCode: 550 }))).toMatchObject({
      code: 'rejected',
      permanent: true,
    });
    expect(mailFailureOf(Object.assign(new Error('451 later'), { code: 'EENVELOPE', responseCode: 451 }))).toMatchObject({ code: 'smtp_error', permanent: false });
    expect(mailFailureOf(Object.assign(new Error('503 bad sequence'), { code: 'EPROTOCOL', responseCode: 503 }))).toMatchObject({ code: 'smtp_error', permanent: false });
  });

  it('tells an unreachable server from one that did not answer in time', () => {
    for (const code of ['ECONNECTION', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ENOTFOUND']) {
      expect(mailFailureOf(Object.assign(new Error('connect failed'), { code }))).toMatchObject({ code: 'smtp_unreachable', permanent: false });
    }
    expect(mailFailureOf(Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' }))).toMatchObject({ code: 'timeout', permanent: false });
  });

  it('never carries the server text (it may quote the recipient) and keeps a MailDeliveryError as it is', () => {
    const mapped = mailFailureOf(Object.assign(new Error('550 5.1.1 <abuse@host.test>: unknown'), { responseCode: 550 }));
    expect(mapped.message).not.toContain('@');
    expect(mailFailureOf(new Error('something odd'))).toMatchObject({ code: 'smtp_error', permanent: false });
    const own = new MailDeliveryError('not_configured', false);
    expect(mailFailureOf(own)).toBe(own);
  });
});
