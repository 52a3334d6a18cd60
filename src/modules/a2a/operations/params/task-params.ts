import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { TASK_STATES, type TaskState } from '../../../../../libs/contracts/src';

// Query strings carry text: the HTTP+JSON binding's numbers and booleans arrive as strings.
const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

// The proto default: a client that sets no state filter may still send it.
const unspecifiedAsAbsent = ({ value }: { value: unknown }): unknown =>
  value === 'TASK_STATE_UNSPECIFIED' ? undefined : value;

export class TaskIdParams {
  @IsString() id!: string;
}

export class GetTaskParams extends TaskIdParams {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) historyLength?: number;
}

export class ListTasksParams {
  @IsOptional() @IsString() contextId?: string;
  @IsOptional() @Transform(unspecifiedAsAbsent) @IsIn(TASK_STATES) status?: TaskState;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize?: number;
  @IsOptional() @IsString() pageToken?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) historyLength?: number;
  @IsOptional() @IsString() statusTimestampAfter?: string;
  @IsOptional() @Transform(toBoolean) @IsBoolean() includeArtifacts?: boolean;
}
