import type { Artifact, Part, TaskArtifactUpdateEvent } from './a2a';

/**
 * Applies one artifact update to the artifacts assembled so far, as an A2A client does:
 * `append: false` starts (or replaces) the artifact, `append: true` adds its parts. Adjacent
 * text parts are joined, so a streamed answer reads back as one text.
 * Returns a new array; the input is not changed.
 */
export function foldArtifactUpdate(
  artifacts: readonly Artifact[],
  update: TaskArtifactUpdateEvent,
): Artifact[] {
  const { artifact } = update;
  const index = artifacts.findIndex((a) => a.artifactId === artifact.artifactId);
  const next = [...artifacts];
  if (index === -1 || !update.append) {
    const fresh: Artifact = { ...artifact, parts: joinText([], artifact.parts) };
    if (index === -1) next.push(fresh);
    else next[index] = fresh;
    return next;
  }
  const current = artifacts[index];
  next[index] = { ...current, parts: joinText(current.parts, artifact.parts) };
  return next;
}

function joinText(existing: readonly Part[], added: readonly Part[]): Part[] {
  const parts = [...existing];
  for (const part of added) {
    const last = parts[parts.length - 1];
    if (last && isPlainText(last) && isPlainText(part)) {
      parts[parts.length - 1] = { text: (last.text ?? '') + (part.text ?? '') };
    } else {
      parts.push(part);
    }
  }
  return parts;
}

function isPlainText(part: Part): boolean {
  return typeof part.text === 'string' && Object.keys(part).length === 1;
}
