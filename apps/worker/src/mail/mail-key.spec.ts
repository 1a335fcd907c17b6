import { JOB_IDS } from '@hotline/queue';
import { mailKeyOf } from './mail-key';

const id = '01a23564-de65-7d35-9050-c63a8c32a20a';

describe('mailKeyOf', () => {
  it('reads `<kind>:<uuid>` keys of every kind', () => {
    for (const kind of ['notice', 'reminder', 'feedback'] as const) expect(mailKeyOf(`${kind}:${id}`)).toEqual({ kind, id, key: `${kind}:${id}` });
  });

  it('ignores a tag after the uuid, so a mail published again keeps its job id', () => {
    const key = mailKeyOf(`notice:${id}:lifted`);
    expect(key?.key).toBe(`notice:${id}`);
    expect(JOB_IDS.sendMail(key!.key)).toBe(`mail-notice-${id}`);
  });

  it('refuses unknown kinds and ids that are not uuids', () => {
    expect(mailKeyOf(`letter:${id}`)).toBeNull();
    expect(mailKeyOf('notice:42')).toBeNull();
    expect(mailKeyOf('notice')).toBeNull();
  });
});
