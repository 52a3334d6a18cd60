import type { Task } from '../../libs/contracts/src';
import { createTask, mintStreamToken } from '../factories/tasks';
import { openStream, reassembledText } from '../utils/sse-client';
import { startTestApp, type TestApp } from '../utils/test-app';
import { bearer, userToken } from '../utils/tokens';

describe('echo agent, end to end over a real socket and a real EventSource', () => {
  let gateway: TestApp;
  const alice = userToken({ sub: 'alice', orgs: ['acme'] });

  beforeAll(async () => {
    gateway = await startTestApp();
  });
  afterAll(() => gateway.close());

  it('creates a task, streams every word of the answer in order, ends after COMPLETED', async () => {
    const text = 'The quick  brown fox\njumps over the lazy dog.';
    const task = await createTask(gateway.baseUrl, alice, 'acme', 'echo', text);
    expect(task.status.state).toBe('TASK_STATE_SUBMITTED');
    const { streamUrl } = await mintStreamToken(gateway.baseUrl, alice, 'acme', 'echo', task.id);

    const stream = openStream(`${gateway.baseUrl}${streamUrl}`);
    await stream.closed;

    const ids = stream.events.map((e) => e.id);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
    expect(stream.events.map((e) => e.event)).toEqual([
      'status-update',
      'status-update',
      ...Array<string>(9).fill('artifact-update'),
      'status-update',
    ]);
    expect(reassembledText(stream.events)).toBe(text);
    const last = stream.events[stream.events.length - 1].data as {
      statusUpdate: { status: { state: string } };
    };
    expect(last.statusUpdate.status.state).toBe('TASK_STATE_COMPLETED');

    const fetched = await fetch(`${gateway.baseUrl}/agent-to-agent/acme/echo/tasks/${task.id}`, {
      headers: bearer(alice),
    });
    const final = (await fetched.json()) as Task;
    expect(final.status.state).toBe('TASK_STATE_COMPLETED');
    expect(final.artifacts).toEqual([{ artifactId: 'echo', parts: [{ text }] }]);
  });
});
