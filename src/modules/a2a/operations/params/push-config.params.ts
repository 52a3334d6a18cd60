import { IsString } from 'class-validator';
import { PushConfigDto } from './send-message.params';

/** CreateTaskPushNotificationConfig: the config itself, with the task it is for. */
export class CreatePushConfigParams extends PushConfigDto {
  @IsString() taskId!: string;
}

/** ListTaskPushNotificationConfigs: every config of the task is returned on one page. */
export class PushConfigsOfTaskParams {
  @IsString() taskId!: string;
}

export class PushConfigRefParams extends PushConfigsOfTaskParams {
  @IsString() id!: string;
}
