export interface AgentSkill {
  id: string;
  name: string;
  description: string;
  tags: string[];
}

/** An agent of an org: where its worker listens, or that it runs in-process (echo). */
export interface AgentDefinition {
  org: string;
  name: string;
  description: string;
  skills: AgentSkill[];
  /** Worker URL that receives dispatched tasks; absent for built-in agents. */
  endpoint?: string;
  builtIn?: 'echo';
}

export const ECHO_AGENT_NAME = 'echo';

export function echoAgent(org: string): AgentDefinition {
  return {
    org,
    name: ECHO_AGENT_NAME,
    description:
      'Built-in: streams your message back word by word, to try the gateway without a worker.',
    skills: [
      { id: 'echo', name: 'Echo', description: 'Repeats the text it is sent', tags: ['demo'] },
    ],
    builtIn: 'echo',
  };
}
