import type { AgentDefinition } from '../../agents/agent-definition';

/** A2A 1.0 AgentInterface: where a binding of a given version is served. */
export interface AgentInterface {
  url: string;
  protocolBinding: 'JSONRPC' | 'HTTP+JSON';
  protocolVersion: string;
}

/** The A2A 1.0 AgentCard in its JSON form, as far as the gateway fills it. */
export interface AgentCard {
  name: string;
  description: string;
  supportedInterfaces: AgentInterface[];
  version: string;
  capabilities: { streaming: boolean; pushNotifications: boolean; extendedAgentCard: boolean };
  securitySchemes: Record<string, { httpAuthSecurityScheme: HttpAuthSecurityScheme }>;
  securityRequirements: { schemes: Record<string, { list: string[] }> }[];
  defaultInputModes: string[];
  defaultOutputModes: string[];
  skills: { id: string; name: string; description: string; tags: string[] }[];
}

interface HttpAuthSecurityScheme {
  scheme: string;
  bearerFormat: string;
  description: string;
}

export const BEARER_SCHEME = 'bearer';
/** Agents declared in AGENTS_FILE carry no version of their own yet. */
const AGENT_VERSION = '1.0.0';

/** `<base>/agent-to-agent/:org/:agent`: both bindings live under it. */
export function interfaceUrl(base: string, org: string, agent: string): string {
  return `${base}/agent-to-agent/${encodeURIComponent(org)}/${encodeURIComponent(agent)}`;
}

/**
 * The agent's card. Both bindings in 1.0, and JSON-RPC in 0.3 at the same URL: the
 * `A2A-Version` header of each request picks the version, so one URL serves both.
 */
export function buildAgentCard(agent: AgentDefinition, base: string): AgentCard {
  const url = interfaceUrl(base, agent.org, agent.name);
  return {
    name: agent.name,
    description: agent.description,
    supportedInterfaces: [
      { url, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
      { url, protocolBinding: 'HTTP+JSON', protocolVersion: '1.0' },
      { url, protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
    ],
    version: AGENT_VERSION,
    capabilities: { streaming: true, pushNotifications: true, extendedAgentCard: false },
    securitySchemes: {
      [BEARER_SCHEME]: {
        httpAuthSecurityScheme: {
          scheme: 'Bearer',
          bearerFormat: 'JWT',
          description: 'A user access token (HS256 JWT with sub, orgs and roles claims)',
        },
      },
    },
    securityRequirements: [{ schemes: { [BEARER_SCHEME]: { list: [] } } }],
    defaultInputModes: ['text/plain', 'application/json'],
    defaultOutputModes: ['text/plain'],
    skills: agent.skills.map(({ id, name, description, tags }) => ({
      id,
      name,
      description,
      tags,
    })),
  };
}
