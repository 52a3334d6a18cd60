import { type AgentCard, BEARER_SCHEME } from './agent-card';

/**
 * The card a 0.3 client reads: its primary `url` and `preferredTransport` are the 0.3
 * interface, and it also carries the 1.0 `supportedInterfaces`, which a 1.0 client that did
 * not announce its version can use. The same translation as the official SDK's compat layer.
 */
export function toV03AgentCard(card: AgentCard): Record<string, unknown> {
  const v03 = card.supportedInterfaces.filter((i) => i.protocolVersion === '0.3');
  const [primary, ...others] = v03;
  const scheme = card.securitySchemes[BEARER_SCHEME].httpAuthSecurityScheme;
  return {
    name: card.name,
    description: card.description,
    version: card.version,
    url: primary.url,
    preferredTransport: primary.protocolBinding,
    protocolVersion: primary.protocolVersion,
    ...(others.length > 0
      ? { additionalInterfaces: others.map((i) => ({ url: i.url, transport: i.protocolBinding })) }
      : {}),
    capabilities: {
      streaming: card.capabilities.streaming,
      pushNotifications: card.capabilities.pushNotifications,
    },
    securitySchemes: {
      [BEARER_SCHEME]: {
        type: 'http',
        scheme: scheme.scheme,
        bearerFormat: scheme.bearerFormat,
        description: scheme.description,
      },
    },
    security: [{ [BEARER_SCHEME]: [] }],
    defaultInputModes: card.defaultInputModes,
    defaultOutputModes: card.defaultOutputModes,
    skills: card.skills,
    supportsAuthenticatedExtendedCard: card.capabilities.extendedAgentCard,
    supportedInterfaces: card.supportedInterfaces,
  };
}
