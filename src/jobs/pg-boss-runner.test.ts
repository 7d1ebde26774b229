import { describe, expect, it } from 'vitest';
import { retryOnDeadlock } from './pg-boss-runner.ts';

/** Two workers creating the same pg-boss queues at once: the deadlock's victim tries again (seen in CI). */
describe('retryOnDeadlock', () => {
  const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });

  it('tries a write again after a deadlock, and answers what it then answers', async () => {
    let calls = 0;
    const answer = await retryOnDeadlock(async () => {
      calls++;
      if (calls < 3) throw deadlock();
      return 'created';
    });
    expect(answer).toBe('created');
    expect(calls).toBe(3);
  });

  it('passes any other error on at once', async () => {
    let calls = 0;
    const failing = retryOnDeadlock(async () => {
      calls++;
      throw Object.assign(new Error('permission denied'), { code: '42501' });
    });
    await expect(failing).rejects.toThrow('permission denied');
    expect(calls).toBe(1);
  });

  it('gives up after its attempts, with the deadlock', async () => {
    let calls = 0;
    const failing = retryOnDeadlock(async () => {
      calls++;
      throw deadlock();
    }, 2);
    await expect(failing).rejects.toThrow('deadlock detected');
    expect(calls).toBe(2);
  });
});
