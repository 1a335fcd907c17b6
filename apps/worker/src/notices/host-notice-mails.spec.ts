import { hotlineNameOf } from './host-notice-mails';

describe('hotlineNameOf', () => {
  it('signs with the display name of MAIL_FROM, or "Hotline" without one', () => {
    expect(hotlineNameOf('Test Hotline <abuse-desk@hotline.test>')).toBe('Test Hotline');
    expect(hotlineNameOf('"Meldpunt NL" <m@hotline.test>')).toBe('Meldpunt NL');
    expect(hotlineNameOf('abuse@hotline.test')).toBe('Hotline');
  });
});
