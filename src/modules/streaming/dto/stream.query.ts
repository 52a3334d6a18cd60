import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export class StreamQuery {
  @IsOptional() @IsString() token?: string;
  /** For clients that cannot set the Last-Event-ID header. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) lastEventId?: number;
}

export class MessagesQuery {
  @IsOptional() @IsString() token?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) after = 0;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 100;
}
