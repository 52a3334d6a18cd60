import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { Message } from '../../../../libs/contracts/src';
import { AppConfig } from '../../../config/app-config';
import type { WorkerEvent } from '../../task-messages/append-item';
import { TaskMessagesService } from '../../task-messages/task-messages.service';

/**
 * The built-in agent: streams the message's text back one word per ECHO_DELAY_MS. It writes
 * through the same ingest path as a webhook worker (sequence numbers, ordering, storage,
 * fan-out), so a fresh install shows the whole product with no worker at all.
 */
@Injectable()
export class EchoAgent {
  constructor(
    private readonly taskMessages: TaskMessagesService,
    private readonly config: AppConfig,
  ) {}

  async run(taskId: string, message: Message, signal: AbortSignal): Promise<void> {
    const words = splitWords(textOf(message));
    let sequence = 0;
    const emit = async (event: Omit<WorkerEvent, 'taskId' | 'sequence'>): Promise<boolean> => {
      const outcome = await this.taskMessages.append({
        kind: 'worker',
        event: { ...event, taskId, sequence: ++sequence },
      });
      return outcome.ok;
    };
    if (!(await emit({ type: 'status', state: 'TASK_STATE_WORKING' }))) return;
    for (const [index, word] of words.entries()) {
      await sleep(this.config.ECHO_DELAY_MS, undefined, { signal });
      const last = index === words.length - 1;
      if (!(await emit({ type: 'chunk', chunk: word, artifactId: 'echo', isLast: last }))) return;
    }
    await emit({ type: 'status', state: 'TASK_STATE_COMPLETED' });
  }
}

function textOf(message: Message): string {
  return message.parts.flatMap((p) => (typeof p.text === 'string' ? [p.text] : [])).join('\n');
}

/** Words with the whitespace after them, so the chunks join back into exactly the input. */
export function splitWords(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [];
}
