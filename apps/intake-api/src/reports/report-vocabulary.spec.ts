import { PUBLIC_REPORT_STATUSES, REPORTED_CONTENT_TYPES } from '@hotline/domain';
import { MESSAGE_KEYS, REPORT_STATUS_KEYS } from '@hotline/http';

// The catalogue keeps its own list of statuses (libs/http does not depend on the domain); a
// reporter must be able to read every word the API can answer with.
describe('the words a reporter reads', () => {
  it('has a label and an explanation for every public status', () => {
    expect([...REPORT_STATUS_KEYS].sort()).toEqual([...PUBLIC_REPORT_STATUSES].sort());
  });

  it('names every content type the API accepts', () => {
    for (const type of REPORTED_CONTENT_TYPES) expect(MESSAGE_KEYS).toContain(`form.content_type.${type}`);
  });
});
