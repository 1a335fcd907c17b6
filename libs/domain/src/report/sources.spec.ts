import { CASE_SOURCES, caseSourceOf, REPORT_SOURCES } from './sources';

describe('sources', () => {
  it('make a case public whichever public door its report came through', () => {
    expect(REPORT_SOURCES.map(caseSourceOf)).toEqual(['public', 'public', 'partner', 'bulk']);
  });

  it('reach every case source from some report source', () => {
    expect([...new Set(REPORT_SOURCES.map(caseSourceOf))].sort()).toEqual([...CASE_SOURCES].sort());
  });

  it('count an unknown source as public, the least trusted', () => {
    expect(caseSourceOf('mystery')).toBe('public');
  });
});
