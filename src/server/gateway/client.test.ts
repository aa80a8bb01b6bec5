import { describe, expect, it } from 'vitest';
import { LiveRun, type LabClient } from './client.ts';

/**
 * The test client's LiveRun: a waiter's condition sees the effect of the message that wakes it.
 * (CI once hung for 10 s because `until(() => run.endReason !== null)` was evaluated on the `ended`
 * message before `endReason` was set.)
 */
describe('LiveRun', () => {
  const started = { type: 'started', session: 's1', config: {}, mode: 'step' } as unknown as ConstructorParameters<typeof LiveRun>[1];
  const unusedClient = {} as LabClient;

  it('until(endReason) resolves on the ended message itself', async () => {
    const run = new LiveRun(unusedClient, started);
    const waiting = run.until(() => run.endReason !== null, 1_000);
    run.deliver({ type: 'ended', session: 's1', reason: 'finished' }, true);
    await expect(waiting).resolves.toBeUndefined();
    await expect(run.ended).resolves.toBe('finished');
  });

  it('until(pending) resolves on the held message that brings it', async () => {
    const run = new LiveRun(unusedClient, started);
    const waiting = run.until(() => run.pending.length > 0, 1_000);
    run.deliver({ type: 'held', session: 's1', pending: [{ conn: 0, from: 'server', records: 2, bytes: 90 }] }, true);
    await expect(waiting).resolves.toBeUndefined();
    expect(run.pending).toEqual([{ conn: 0, from: 'server', records: 2, bytes: 90 }]);
  });

  it('a condition that never holds times out with the session named', async () => {
    const run = new LiveRun(unusedClient, started);
    await expect(run.until(() => false, 20)).rejects.toThrow(/timed out after 20 ms waiting on session s1/);
  });
});
