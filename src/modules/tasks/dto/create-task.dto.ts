import { Type } from 'class-transformer';
import {
  Allow,
  IsDefined,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';

export class PartDto {
  @IsOptional() @IsString() text?: string;
  @IsOptional() @Allow() data?: unknown;
  @IsOptional() @IsString() url?: string;
  @IsOptional() @IsString() raw?: string;
  @IsOptional() @IsString() mediaType?: string;
  @IsOptional() @IsString() filename?: string;
  @IsOptional() @IsObject() metadata?: Record<string, unknown>;
}

export class MessageDto {
  @IsOptional() @IsString() @MaxLength(200) messageId?: string;
  @IsIn(['ROLE_USER']) role!: 'ROLE_USER';
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PartDto)
  parts!: PartDto[];
  @IsOptional() @IsString() @MaxLength(200) contextId?: string;
  @IsOptional() @IsString() taskId?: string;
  @IsOptional() @IsObject() metadata?: Record<string, unknown>;
  @IsOptional() @IsArray() @IsString({ each: true }) extensions?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) referenceTaskIds?: string[];
}

/** `POST /agent-to-agent/:org/:agent/tasks`: an A2A v1.0 Message, messageId optional. */
export class CreateTaskDto {
  @IsDefined() @ValidateNested() @Type(() => MessageDto) message!: MessageDto;
  @IsOptional() @IsString() @MaxLength(200) contextId?: string;
  @IsOptional() @IsUUID() parentTaskId?: string;
  @IsOptional() @IsObject() metadata?: Record<string, unknown>;
}
