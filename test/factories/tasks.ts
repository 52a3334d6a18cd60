import type { Task } from '../../libs/contracts/src';
import { bearer } from '../utils/tokens';

/** Creates a task over REST and returns it (fails the test on anything but 201). */
export async function createTask(
  baseUrl: string,
  token: string,
  org: string,
  agent: string,
  text: string,
): Promise<Task> {
  const response = await fetch(`${baseUrl}/agent-to-agent/${org}/${agent}/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(token) },
    body: JSON.stringify({ message: { role: 'ROLE_USER', parts: [{ text }] } }),
  });
  if (response.status !== 201)
    throw new Error(`create task: ${response.status} ${await response.text()}`);
  return (await response.json()) as Task;
}

export async function mintStreamToken(
  baseUrl: string,
  token: string,
  org: string,
  agent: string,
  taskId: string,
): Promise<{ token: string; expiresAt: string; streamUrl: string }> {
  const response = await fetch(
    `${baseUrl}/agent-to-agent/${org}/${agent}/tasks/${taskId}/stream-token`,
    {
      method: 'POST',
      headers: bearer(token),
    },
  );
  if (response.status !== 201)
    throw new Error(`stream token: ${response.status} ${await response.text()}`);
  return (await response.json()) as { token: string; expiresAt: string; streamUrl: string };
}

/** Mints a stream token for the task: the absolute URL a browser's EventSource opens. */
export async function streamUrlOf(
  baseUrl: string,
  token: string,
  org: string,
  agent: string,
  taskId: string,
): Promise<string> {
  const { streamUrl } = await mintStreamToken(baseUrl, token, org, agent, taskId);
  return `${baseUrl}${streamUrl}`;
}
