import { readFileSync } from 'node:fs';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { validationMessages } from '../../common/validation/describe-validation-errors';
import type { AgentDefinition } from './agent-definition';

const SLUG = /^[a-z0-9][a-z0-9_-]{0,62}$/;

class SkillEntry {
  @IsString() id!: string;
  @IsString() name!: string;
  @IsOptional() @IsString() description?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) tags?: string[];
}

class AgentEntry {
  @Matches(SLUG, { message: 'org must be a lowercase slug' }) org!: string;
  @Matches(SLUG, { message: 'name must be a lowercase slug' }) name!: string;
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  endpoint!: string;
  @IsOptional() @IsString() description?: string;
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SkillEntry)
  skills?: SkillEntry[];
}

class AgentsFile {
  @IsArray()
  @ArrayMaxSize(10000)
  @ValidateNested({ each: true })
  @Type(() => AgentEntry)
  agents!: AgentEntry[];
}

/** Reads and validates AGENTS_FILE; a bad file stops start-up with a message naming the entry. */
export function loadAgentsFile(path: string): AgentDefinition[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`AGENTS_FILE ${path}: ${(error as Error).message}`);
  }
  const file = plainToInstance(AgentsFile, raw);
  const errors = validateSync(file);
  if (errors.length > 0)
    throw new Error(`AGENTS_FILE ${path} is invalid: ${validationMessages(errors).join('; ')}`);
  return file.agents.map((a) => ({
    org: a.org,
    name: a.name,
    endpoint: a.endpoint,
    description: a.description ?? '',
    skills: (a.skills ?? []).map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description ?? '',
      tags: s.tags ?? [],
    })),
  }));
}
