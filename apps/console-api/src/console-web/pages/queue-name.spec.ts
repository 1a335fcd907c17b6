import { isolatedQueueName } from './queue-name';

describe('isolatedQueueName', () => {
  it('isolates the name from the sentence’s direction and keeps its hyphens from breaking', () => {
    expect(isolatedQueueName('unresolved-hosting')).toBe('\u2068unresolved\u2011hosting\u2069');
    expect(isolatedQueueName('standard')).toBe('\u2068standard\u2069');
  });
});
