import type { TaskLogRow } from '../batch-planner';
import { TaskRowCache } from './task-row-cache';

const row = (id: string, lastEventId = 1): TaskLogRow => ({
  id,
  context_id: `ctx-${id}`,
  state: 'TASK_STATE_WORKING',
  status: { state: 'TASK_STATE_WORKING', timestamp: '2026-03-01T12:00:00.000Z' },
  last_event_id: lastEventId,
  last_sequence: lastEventId - 1,
  pending_count: 0,
  artifact_ids: [],
  skipped_sequences: [],
});

describe('TaskRowCache', () => {
  it('keeps the last row written per task', () => {
    const cache = new TaskRowCache(10);
    cache.set(row('a', 1));
    cache.set(row('a', 2));
    expect(cache.get('a')?.last_event_id).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });

  it('drops the least recently written task beyond its capacity', () => {
    const cache = new TaskRowCache(2);
    cache.set(row('a'));
    cache.set(row('b'));
    cache.set(row('a', 2));
    cache.set(row('c'));
    expect([cache.get('a')?.last_event_id, cache.get('b'), cache.get('c')?.id]).toEqual([
      2,
      undefined,
      'c',
    ]);
    expect(cache.size).toBe(2);
  });
});
