import { boardAnswerWithoutContent, boardLogsWithoutContent, WITHHELD, withheldProgress, withheldValue } from './board-redaction';

const URL = 'https://bad.example.co.uk/teen/video123.mp4';

describe('queue dashboard redaction', () => {
  it('withholds job data and return values, showing only their keys or type', () => {
    expect(withheldValue({ url: URL, reportedUrlIds: ['1'] })).toEqual({ withheld: WITHHELD, keys: ['url', 'reportedUrlIds'] });
    expect(withheldValue({ [URL]: 1, 'bad.example': 2, caseId: 'x' })).toEqual({ withheld: WITHHELD, keys: ['caseId'] });
    expect(withheldValue([URL])).toEqual({ withheld: WITHHELD, type: 'array of 1' });
    expect(withheldValue(URL)).toEqual({ withheld: WITHHELD, type: 'string' });
    expect(withheldValue(undefined)).toEqual({ withheld: WITHHELD, type: 'undefined' });
    expect(withheldValue(null)).toEqual({ withheld: WITHHELD, type: 'null' });
    expect(withheldProgress(42)).toBe(42);
    expect(withheldProgress({ at: URL })).toEqual({ withheld: WITHHELD, keys: ['at'] });
  });

  it('cuts every failure text and empties every stack trace, wherever the answer has them', () => {
    const reason = 'HostingLookupError: hosting lookup for bad.example.co.uk: timeout';
    const answer = {
      queues: [
        {
          name: 'hosting',
          counts: { failed: 1 },
          jobs: [{ id: '1', failedReason: reason, stacktrace: [`Error: ${reason}\n    at x`], deferredFailure: reason, data: { withheld: WITHHELD } }],
        },
      ],
      job: { failedReason: reason, stacktrace: [] },
      flowRoot: { ignoredChildFailureReasons: { 'bull:hosting:2': reason } },
      schedulers: [{ template: { data: { url: URL }, opts: {} } }],
    };
    const cut = boardAnswerWithoutContent(answer);
    expect(JSON.stringify(cut)).not.toMatch(/bad\.example|teen|video/);
    expect(cut).toEqual({
      queues: [
        {
          name: 'hosting',
          counts: { failed: 1 },
          jobs: [
            {
              id: '1',
              failedReason: 'HostingLookupError: hosting lookup for …',
              stacktrace: [],
              deferredFailure: 'HostingLookupError: hosting lookup for …',
              data: { withheld: WITHHELD },
            },
          ],
        },
      ],
      job: { failedReason: 'HostingLookupError: hosting lookup for …', stacktrace: [] },
      flowRoot: { ignoredChildFailureReasons: { 'bull:hosting:2': 'HostingLookupError: hosting lookup for …' } },
      schedulers: [{ template: { data: { withheld: WITHHELD, keys: ['url'] }, opts: {} } }],
    });
  });

  it('cuts log lines', () => {
    expect(boardLogsWithoutContent([`fetching ${URL}`, 'done'])).toEqual(['fetching …', 'done']);
  });
});
