import { GroupCommitLane } from './group-commit-lane';

describe('GroupCommitLane', () => {
  /** A lane whose commits are recorded and answer each item with its double. */
  const lane = (maxBatch: number) => {
    const commits: number[][] = [];
    const instance = new GroupCommitLane<number, number>(maxBatch, (items) => {
      commits.push(items);
      return Promise.resolve(items.map((n) => n * 2));
    });
    return { instance, commits };
  };

  it('commits what arrives in the same turn together and answers each caller its own result', async () => {
    const { instance, commits } = lane(100);
    const answers = await Promise.all([
      instance.push(1),
      instance.pushAll([2, 3]),
      instance.push(4),
    ]);
    expect(answers).toEqual([2, [4, 6], 8]);
    expect(commits).toEqual([[1, 2, 3, 4]]);
  });

  it('never splits a group and starts a new commit where the next group would not fit', async () => {
    const { instance, commits } = lane(3);
    const answers = await Promise.all([
      instance.pushAll([1, 2]),
      instance.pushAll([3, 4, 5, 6]),
      instance.push(7),
    ]);
    expect(answers).toEqual([[2, 4], [6, 8, 10, 12], 14]);
    expect(commits).toEqual([[1, 2], [3, 4, 5, 6], [7]]);
  });

  it('rejects every caller of a failed commit and goes on with the next one', async () => {
    let calls = 0;
    const failing = new GroupCommitLane<number, number>(1, (items) =>
      ++calls === 1 ? Promise.reject(new Error('disk full')) : Promise.resolve(items),
    );
    const first = failing.pushAll([1]);
    const second = failing.push(2);
    await expect(first).rejects.toThrow('disk full');
    await expect(second).resolves.toBe(2);
  });

  it('starts the next commit before it answers the callers of the previous one', async () => {
    const order: string[] = [];
    const instance = new GroupCommitLane<number, number>(1, (items) => {
      order.push(`commit ${items[0]}`);
      return Promise.resolve(items);
    });
    await Promise.all([1, 2].map((n) => instance.push(n).then(() => order.push(`answer ${n}`))));
    expect(order).toEqual(['commit 1', 'commit 2', 'answer 1', 'answer 2']);
  });
});

describe('GroupCommitLane with overlap', () => {
  /** A lane keyed by the letter of each item, whose commits settle when the test says. */
  const overlapping = (minItems: number) => {
    const commits: string[][] = [];
    const settle: (() => void)[] = [];
    const instance = new GroupCommitLane<string, string>(
      100,
      (items) => {
        commits.push(items);
        return new Promise((resolve) => settle.push(() => resolve(items)));
      },
      { keyOf: (item) => item[0], minItems },
    );
    return { instance, commits, settle };
  };
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it('starts a second commit beside the first with the items of other keys, in order', async () => {
    const { instance, commits, settle } = overlapping(2);
    const first = instance.pushAll(['a1', 'b1']);
    await turn();
    const later = [
      instance.push('a2'),
      instance.pushAll(['c1', 'a3']),
      instance.push('c2'),
      instance.push('d1'),
      instance.push('e1'),
    ];
    await turn();

    // a2 waits for a1; c1 waits with a3, so c2 waits behind c1; d1 and e1 go.
    expect(commits).toEqual([
      ['a1', 'b1'],
      ['d1', 'e1'],
    ]);
    settle[0]();
    await first;
    expect(commits[2]).toEqual(['a2', 'c1', 'a3', 'c2']);
    settle[1]();
    settle[2]();
    expect(await Promise.all(later)).toEqual(['a2', ['c1', 'a3'], 'c2', 'd1', 'e1']);
  });

  it('keeps one commit at a time while fewer than minItems wait', async () => {
    const { instance, commits, settle } = overlapping(3);
    const first = instance.push('a1');
    await turn();
    const second = instance.pushAll(['b1', 'c1']);
    await turn();

    expect(commits).toEqual([['a1']]);
    settle[0]();
    await first;
    expect(commits).toEqual([['a1'], ['b1', 'c1']]);
    settle[1]();
    await second;
  });
});
