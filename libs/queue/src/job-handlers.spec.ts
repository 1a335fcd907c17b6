import { checkJobHandlers, JobHandlerError, jobsOf } from './job-handlers';
import { JobName, QueueName } from './queue.constants';

const all = () => Object.fromEntries(Object.values(JobName).map((name) => [name, async () => undefined]));

describe('checkJobHandlers', () => {
  it('accepts exactly one handler per job name', () => {
    expect(() => checkJobHandlers(all())).not.toThrow();
  });

  it('names the job that has no handler', () => {
    const handlers = all();
    delete handlers[JobName.ResolveHosting];
    expect(() => checkJobHandlers(handlers)).toThrow(new JobHandlerError(`no handler for ${JobName.ResolveHosting}`));
  });

  it('refuses a handler for a job that does not exist', () => {
    expect(() => checkJobHandlers({ ...all(), 'resolve-hostnig': async () => undefined })).toThrow(/unknown jobs resolve-hostnig/);
  });

  it('refuses a handler that is not a function', () => {
    expect(() => checkJobHandlers({ ...all(), [JobName.AttachReportedUrl]: 'later' })).toThrow(/no handler for attach-reported-url/);
  });
});

describe('jobsOf', () => {
  it('lists the jobs each queue carries, every job on exactly one queue', () => {
    const perQueue = Object.values(QueueName).flatMap((queue) => jobsOf(queue));
    expect(perQueue.sort()).toEqual(Object.values(JobName).sort());
    expect(jobsOf(QueueName.Hosting).sort()).toEqual([JobName.ResolveHosting, JobName.TraceHosting]);
  });
});
