import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { TASK_STATES, type TaskState } from '../../../../libs/contracts/src';

export class ListTasksQuery {
  @IsOptional() @IsIn(TASK_STATES) state?: TaskState;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit = 20;
  @IsOptional() @IsString() cursor?: string;
}
