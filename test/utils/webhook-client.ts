import { signWebhook, type WebhookEvent } from '../../libs/contracts/src';
import { TEST_WEBHOOK_SECRET } from './test-app';

export interface WebhookReply {
  status: number;
  body: unknown;
}

/** POSTs a signed webhook request, the way a worker does; the answer with its headers. */
export async function postWebhookWithHeaders(
  baseUrl: string,
  body: unknown,
  options: {
    batch?: boolean;
    secret?: string;
    timestamp?: string;
    raw?: string;
    signature?: string;
    /** An Origin header, as a browser would send. */
    origin?: string;
  } = {},
): Promise<WebhookReply & { headers: Headers }> {
  const raw = options.raw ?? JSON.stringify(body);
  const timestamp = options.timestamp ?? Date.now().toString();
  const signature =
    options.signature ?? signWebhook(options.secret ?? TEST_WEBHOOK_SECRET, timestamp, raw);
  const response = await fetch(
    `${baseUrl}/internal/webhook/stream${options.batch ? '/batch' : ''}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-webhook-timestamp': timestamp,
        'x-webhook-signature': signature,
        ...(options.origin === undefined ? {} : { origin: options.origin }),
      },
      body: raw,
    },
  );
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as unknown) : undefined,
    headers: response.headers,
  };
}

/** POSTs a signed webhook request, the way a worker does. */
export async function postWebhook(
  baseUrl: string,
  body: unknown,
  options: Parameters<typeof postWebhookWithHeaders>[2] = {},
): Promise<WebhookReply> {
  const { status, body: answer } = await postWebhookWithHeaders(baseUrl, body, options);
  return { status, body: answer };
}

export function chunk(
  taskId: string,
  sequence: number,
  text: string,
  extra: Partial<WebhookEvent> = {},
): WebhookEvent {
  return { task_id: taskId, sequence, chunk: text, artifact_id: 'a1', is_last: false, ...extra };
}

/** A `status` event: the worker moves the task to `state`. */
export function status(
  taskId: string,
  sequence: number,
  state: string,
  extra: Partial<WebhookEvent> = {},
): WebhookEvent {
  return { task_id: taskId, sequence, type: 'status', state, ...extra };
}
