import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { DomainError } from '../../common/errors/domain-error';
import { type AgentDefinition, ECHO_AGENT_NAME, echoAgent } from './agent-definition';
import { loadAgentsFile } from './agents-file';

/** Which agents exist: the built-in echo in every org, and those declared in AGENTS_FILE. */
@Injectable()
export class AgentsService {
  private readonly declared = new Map<string, AgentDefinition>();

  constructor(config: AppConfig) {
    for (const agent of config.AGENTS_FILE ? loadAgentsFile(config.AGENTS_FILE) : []) {
      this.declared.set(key(agent.org, agent.name), agent);
    }
  }

  find(org: string, name: string): AgentDefinition | undefined {
    return (
      this.declared.get(key(org, name)) ?? (name === ECHO_AGENT_NAME ? echoAgent(org) : undefined)
    );
  }

  get(org: string, name: string): AgentDefinition {
    const agent = this.find(org, name);
    if (!agent) throw new DomainError('AGENT_NOT_FOUND', `Agent ${org}/${name} not found`);
    return agent;
  }
}

function key(org: string, name: string): string {
  return `${org}/${name}`;
}
