export * from './a2a';
export * from './fold-artifacts';
export * from './task-state-machine';
export * from './webhook';
export * from './webhook-signature';
export * from './parse-webhook-event';
