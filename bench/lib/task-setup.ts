// Per-stream setup, identical for gateway and baseline: create a task over REST, then open its
// SSE stream with a user token. Both run with bounded concurrency and an overall deadline.
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { httpRequest } from './http-json';
import { SseSubscriber, type SubscriberEvents } from './sse-subscriber';

export const ORG = 'bench';
export const AGENT = 'relay';
const TASKS_PATH = `/agent-to-agent/${ORG}/${AGENT}/tasks`;
const CREATE_BODY = JSON.stringify({ message: { role: 'ROLE_USER', parts: [{ text: 'bench' }] } });
const CREATE_CONCURRENCY = 32;
/** Connections still waiting for their response headers; keeps the server's accept backlog short. */
const CONNECT_CONCURRENCY = 200;
const REQUEST_TIMEOUT_MS = 30_000;

export async function createTasks(
  port: number,
  count: number,
  userToken: string,
  deadlineMs: number,
): Promise<string[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: CREATE_CONCURRENCY });
  const ids = new Array<string>(count);
  const deadline = performance.now() + deadlineMs;
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < count && !failed) {
      if (performance.now() > deadline)
        throw new Error(`task creation passed its ${deadlineMs} ms deadline at ${next}/${count}`);
      const index = next++;
      const answer = await httpRequest(
        agent,
        port,
        'POST',
        TASKS_PATH,
        { authorization: `Bearer ${userToken}` },
        CREATE_BODY,
        REQUEST_TIMEOUT_MS,
      );
      if (answer.status !== 201)
        throw new Error(
          `POST ${TASKS_PATH} answered ${answer.status}: ${answer.body.slice(0, 300)}`,
        );
      ids[index] = taskIdOf(answer.body);
    }
  };
  try {
    const workers = Array.from({ length: Math.min(CREATE_CONCURRENCY, count) }, () =>
      worker().catch((error: unknown) => {
        failed = true; // the other workers stop at their next task
        throw error;
      }),
    );
    await Promise.all(workers);
  } finally {
    agent.destroy();
  }
  return ids;
}

function taskIdOf(body: string): string {
  const parsed: unknown = JSON.parse(body);
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    'id' in parsed &&
    typeof parsed.id === 'string'
  )
    return parsed.id;
  throw new Error(`created task has no string id: ${body.slice(0, 300)}`);
}

function streamPath(taskId: string): string {
  return `${TASKS_PATH}/${encodeURIComponent(taskId)}/stream`;
}

/**
 * Opens one subscriber per task and resolves once every one has its response headers (or has
 * failed), or when the deadline passes; the caller reads each subscriber's status.
 */
export function connectSubscribers(
  port: number,
  taskIds: readonly string[],
  userToken: string,
  events: SubscriberEvents,
  deadlineMs: number,
): Promise<SseSubscriber[]> {
  return new Promise((resolve) => {
    const subscribers: SseSubscriber[] = [];
    let answered = 0;
    let pending = 0;
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      resolve(subscribers);
    }, deadlineMs);
    const onHeaders = (): void => {
      answered++;
      pending--;
      if (answered === taskIds.length) {
        clearTimeout(deadline);
        resolve(subscribers);
      } else {
        openMore();
      }
    };
    const openMore = (): void => {
      while (!timedOut && pending < CONNECT_CONCURRENCY && subscribers.length < taskIds.length) {
        const index = subscribers.length;
        pending++;
        subscribers.push(
          new SseSubscriber(index, port, streamPath(taskIds[index]), userToken, events, onHeaders),
        );
      }
    };
    if (taskIds.length === 0) resolve(subscribers);
    else openMore();
  });
}
