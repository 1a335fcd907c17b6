import { CLASSIFIED_CONTENT_TYPES } from '../assessment/classification';
import { isReportedContentType, REPORTED_CONTENT_TYPES, reportedContentTypeOf } from './content-types';

describe('reported content types', () => {
  it('are the contract’s, in its order', () => {
    expect(REPORTED_CONTENT_TYPES).toEqual(['images', 'videos', 'text', 'livestream', 'other']);
  });

  it('give every classified content type its reporter’s word, a different one each', () => {
    const words = CLASSIFIED_CONTENT_TYPES.map(reportedContentTypeOf);
    expect(words).toEqual(['images', 'videos', 'livestream', 'text', 'other']);
    expect(new Set(words).size).toBe(CLASSIFIED_CONTENT_TYPES.length);
    expect(words.every(isReportedContentType)).toBe(true);
  });

  it('take anything outside the classification vocabulary as other', () => {
    for (const value of ['images', 'constructor', '__proto__', '']) expect(reportedContentTypeOf(value)).toBe('other');
  });

  it('recognise only their own members', () => {
    expect(isReportedContentType('videos')).toBe(true);
    for (const value of ['video', 'Images', null, 1, 'toString']) expect(isReportedContentType(value)).toBe(false);
  });
});
