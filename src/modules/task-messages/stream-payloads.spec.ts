import type { StreamResponse } from '../../../libs/contracts/src';
import { artifactUpdateJson } from './stream-payloads';

describe('artifactUpdateJson', () => {
  const cases: [string, string, string, string, boolean, boolean, number][] = [
    ['6f1c0e9e-3b0a-4c53-9d1e-6a1e2c4f8b10', 'ctx-1', 'answer', 'Hello', false, false, 1],
    ['t', 'ctx "quoted"', 'a\\b', 'line\nbreak \u0000 \u2028 "q" \ud83d\ude00', true, true, 42],
    ['t', '', '', '', true, false, 0],
  ];

  it.each(cases)(
    'is JSON.stringify of the StreamResponse (%#)',
    (taskId, contextId, artifactId, text, append, lastChunk, sequence) => {
      const response: StreamResponse = {
        artifactUpdate: {
          taskId,
          contextId,
          artifact: { artifactId, parts: [{ text }] },
          append,
          lastChunk,
          metadata: { sequence },
        },
      };
      expect(
        artifactUpdateJson(taskId, contextId, artifactId, text, append, lastChunk, sequence),
      ).toBe(JSON.stringify(response));
    },
  );
});
