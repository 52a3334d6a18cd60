import type { PlannedEvent } from '../batch-planner';
import { toBlocks } from './event-blocks';

function planned(taskId: string, id: number, sequence: number | null, data: string): PlannedEvent {
  const event = sequence === null ? 'status-update' : 'artifact-update';
  return { taskId, id, sequence, event, data, terminal: false };
}

describe('toBlocks', () => {
  it("puts a task's consecutive events in one block, whatever the other tasks' events between them", () => {
    const blocks = toBlocks([
      planned('a', 4, null, '{"s":4}'),
      planned('b', 1, 7, '{"b":1}'),
      planned('a', 5, 12, '{"c":"x,y"}'),
      planned('a', 6, 13, '[1]'),
    ]);

    expect(blocks).toEqual([
      {
        taskId: 'a',
        first: 4,
        last: 6,
        types: 'status-update,artifact-update,artifact-update',
        sequences: 'null,12,13',
        payloads: '[{"s":4},{"c":"x,y"},[1]]',
      },
      {
        taskId: 'b',
        first: 1,
        last: 1,
        types: 'artifact-update',
        sequences: '7',
        payloads: '[{"b":1}]',
      },
    ]);
    expect(JSON.parse(blocks[0].payloads)).toEqual([{ s: 4 }, { c: 'x,y' }, [1]]);
  });

  it('starts a new block where ids do not follow each other', () => {
    const blocks = toBlocks([planned('a', 1, 1, '1'), planned('a', 3, 3, '3')]);

    expect(blocks.map((b) => [b.first, b.last, b.payloads])).toEqual([
      [1, 1, '[1]'],
      [3, 3, '[3]'],
    ]);
  });

  it('makes no block of no events', () => {
    expect(toBlocks([])).toEqual([]);
  });
});
