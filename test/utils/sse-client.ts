import { EventSource } from 'eventsource';

export interface ReceivedEvent {
  id: number;
  event: string;
  data: Record<string, unknown>;
}

export interface SseConnection {
  events: ReceivedEvent[];
  /** The HTTP status the stream was refused with (not a 200), once it closed that way. */
  refusedWith?: number;
  /** Resolves when the server ends the stream (and the client stops reconnecting), or on error. */
  closed: Promise<void>;
  close(): void;
}

/**
 * A real EventSource client (the `eventsource` package, the WHATWG algorithm over fetch), with
 * reconnection left to the caller: a dropped stream is reported, not silently resumed, so tests
 * decide when and from which id to reconnect.
 */
export function openStream(
  url: string,
  options: { headers?: Record<string, string>; lastEventId?: number } = {},
): SseConnection {
  const events: ReceivedEvent[] = [];
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const source = new EventSource(url, {
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          ...options.headers,
          ...(options.lastEventId !== undefined
            ? { 'last-event-id': String(options.lastEventId) }
            : {}),
        },
      }),
  });
  const record = (event: MessageEvent): void => {
    events.push({
      id: Number(event.lastEventId),
      event: event.type,
      data: JSON.parse(String(event.data)) as Record<string, unknown>,
    });
  };
  for (const name of ['status-update', 'artifact-update', 'task'])
    source.addEventListener(name, record);
  const connection: SseConnection = {
    events,
    closed,
    close: () => {
      source.close();
      resolveClosed();
    },
  };
  source.onerror = (error) => {
    connection.refusedWith = error.code;
    source.close();
    resolveClosed();
  };
  return connection;
}

/** The text an artifact's chunks add up to, in the order they were received. */
export function reassembledText(events: ReceivedEvent[]): string {
  return events
    .filter((e) => e.event === 'artifact-update')
    .map((e) => {
      const update = e.data.artifactUpdate as { artifact: { parts: { text?: string }[] } };
      return update.artifact.parts.map((p) => p.text ?? '').join('');
    })
    .join('');
}
