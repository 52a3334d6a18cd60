// A2A 0.3 wire objects (its JSON schema): lowercase states and roles, `kind` discriminators.
// Only what the gateway reads or writes is modelled.

export interface V03TextPart {
  kind: 'text';
  text: string;
  metadata?: Record<string, unknown>;
}

export interface V03FilePart {
  kind: 'file';
  file: { bytes?: string; uri?: string; name?: string; mimeType?: string };
  metadata?: Record<string, unknown>;
}

export interface V03DataPart {
  kind: 'data';
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export type V03Part = V03TextPart | V03FilePart | V03DataPart;

export interface V03Message {
  kind: 'message';
  messageId: string;
  role: 'user' | 'agent';
  parts: V03Part[];
  contextId?: string;
  taskId?: string;
  metadata?: Record<string, unknown>;
  extensions?: string[];
  referenceTaskIds?: string[];
}

export interface V03TaskStatus {
  state: string;
  message?: V03Message;
  timestamp?: string;
}

export interface V03Artifact {
  artifactId: string;
  name?: string;
  parts: V03Part[];
  metadata?: Record<string, unknown>;
}

export interface V03Task {
  kind: 'task';
  id: string;
  contextId: string;
  status: V03TaskStatus;
  artifacts?: V03Artifact[];
  history?: V03Message[];
  metadata?: Record<string, unknown>;
}

export interface V03StatusUpdate {
  kind: 'status-update';
  taskId: string;
  contextId: string;
  status: V03TaskStatus;
  /** This event ends the stream: the task ended or waits for the client. */
  final: boolean;
  metadata?: Record<string, unknown>;
}

export interface V03ArtifactUpdate {
  kind: 'artifact-update';
  taskId: string;
  contextId: string;
  artifact: V03Artifact;
  append: boolean;
  lastChunk: boolean;
  metadata?: Record<string, unknown>;
}

export type V03StreamResult = V03Task | V03StatusUpdate | V03ArtifactUpdate;

export interface V03PushNotificationConfig {
  id?: string;
  url: string;
  token?: string;
  authentication?: { schemes: string[]; credentials?: string };
}

export interface V03TaskPushNotificationConfig {
  taskId: string;
  pushNotificationConfig: V03PushNotificationConfig;
}
