import type { MessageDto } from '../../tasks/dto/create-task.dto';
import { A2aError } from '../a2a-error';
import type { PushConfigInput } from '../push/push-config';
import { SendMessageParams } from './params/send-message.params';
import { validateParams } from './params/validate-params';

/** What SendMessage and SendStreamingMessage need, whichever version or binding it came by. */
export interface SendMessageInput {
  message: MessageDto & { messageId: string };
  metadata?: Record<string, unknown>;
  pushConfig?: PushConfigInput;
  historyLength?: number;
  /** The client does not want to wait for the task to end or ask for input. */
  returnImmediately: boolean;
}

/** A SendMessageRequest in its 1.0 JSON form, validated. */
export function parseSendMessage(params: unknown): SendMessageInput {
  const { message, configuration, metadata } = validateParams(SendMessageParams, params);
  const { messageId } = message;
  // Optional on the REST API, required by A2A: clients use it to recognise their own messages.
  if (!messageId) throw new A2aError('INVALID_PARAMS', 'message.messageId: is required');
  return {
    message: { ...message, messageId },
    ...(metadata ? { metadata } : {}),
    ...(configuration?.taskPushNotificationConfig
      ? { pushConfig: configuration.taskPushNotificationConfig }
      : {}),
    ...(configuration?.historyLength !== undefined
      ? { historyLength: configuration.historyLength }
      : {}),
    returnImmediately: configuration?.returnImmediately ?? false,
  };
}
