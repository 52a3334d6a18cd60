import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MessageDto } from '../../../tasks/dto/create-task.dto';

export class AuthenticationInfoDto {
  @IsString() @MinLength(1) @MaxLength(100) scheme!: string;
  @IsOptional() @IsString() @MaxLength(4096) credentials?: string;
}

/** A push notification config as a client registers it (the task is named elsewhere). */
export class PushConfigDto {
  @IsOptional() @IsString() @MaxLength(200) id?: string;
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(2048)
  url!: string;
  @IsOptional() @IsString() @MaxLength(4096) token?: string;
  @IsOptional()
  @ValidateNested()
  @Type(() => AuthenticationInfoDto)
  authentication?: AuthenticationInfoDto;
}

export class SendMessageConfigurationDto {
  @IsOptional() @IsArray() @IsString({ each: true }) acceptedOutputModes?: string[];
  @IsOptional()
  @ValidateNested()
  @Type(() => PushConfigDto)
  taskPushNotificationConfig?: PushConfigDto;
  @IsOptional() @IsInt() @Min(0) historyLength?: number;
  @IsOptional() @IsBoolean() returnImmediately?: boolean;
}

/** SendMessageRequest (and SendStreamingMessage's), in its 1.0 JSON form. */
export class SendMessageParams {
  // The same message a REST client sends: one validation for both ways in.
  @ValidateNested() @Type(() => MessageDto) message!: MessageDto;
  @IsOptional()
  @ValidateNested()
  @Type(() => SendMessageConfigurationDto)
  configuration?: SendMessageConfigurationDto;
  @IsOptional() @IsObject() metadata?: Record<string, unknown>;
}
