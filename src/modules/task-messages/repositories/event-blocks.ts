import type { PlannedEvent } from '../batch-planner';

/**
 * A row of task_message_blocks as the batch statement sends it: one task's consecutive events
 * of one commit. The per-event columns travel as text that the statement splits again, since a
 * parameter of arrays of different lengths cannot be a PostgreSQL array.
 */
export interface EventBlock {
  taskId: string;
  first: number;
  last: number;
  /** The events' names, comma-separated (a name has no comma). */
  types: string;
  /** The worker's sequences, comma-separated; `null` where the gateway emitted the event. */
  sequences: string;
  /** A JSON array of the events' payloads, each as stored. */
  payloads: string;
}

/**
 * The events of a batch in blocks: a task's events go into one block as long as their ids follow
 * each other (a plan gives each task consecutive ids, so in practice one block per task).
 */
export function toBlocks(events: readonly PlannedEvent[]): EventBlock[] {
  const open = new Map<string, EventBlock>();
  const blocks: EventBlock[] = [];
  for (const e of events) {
    const sequence = e.sequence === null ? 'null' : String(e.sequence);
    const block = open.get(e.taskId);
    if (block !== undefined && block.last + 1 === e.id) {
      block.last = e.id;
      block.types += `,${e.event}`;
      block.sequences += `,${sequence}`;
      block.payloads += `,${e.data}`;
      continue;
    }
    const started: EventBlock = {
      taskId: e.taskId,
      first: e.id,
      last: e.id,
      types: e.event,
      sequences: sequence,
      payloads: `[${e.data}`,
    };
    open.set(e.taskId, started);
    blocks.push(started);
  }
  for (const block of blocks) block.payloads += ']';
  return blocks;
}
