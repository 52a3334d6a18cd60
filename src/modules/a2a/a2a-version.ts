import { A2aError } from './a2a-error';

/** The A2A protocol versions the gateway speaks, as `Major.Minor` (patch levels never matter). */
export const A2A_VERSIONS = ['1.0', '0.3'] as const;
export type A2aVersion = (typeof A2A_VERSIONS)[number];

/** The service parameter that names the version a request speaks (HTTP header, any case). */
export const A2A_VERSION_HEADER = 'a2a-version';

/**
 * The version a request speaks: its `A2A-Version` header, or 0.3 when there is none (the rule
 * of the 1.0 specification, which is how 0.3 clients, who never send it, keep working).
 * A patch part (`1.0.2`) is ignored; any version not listed gets VersionNotSupportedError.
 */
export function negotiateVersion(header: string | string[] | undefined): A2aVersion {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return '0.3';
  const match = /^(\d{1,3})\.(\d{1,3})(?:\.\d{1,6})?$/.exec(value);
  const version = match ? `${Number(match[1])}.${Number(match[2])}` : value;
  const supported = A2A_VERSIONS.find((v) => v === version);
  if (supported) return supported;
  throw new A2aError(
    'VERSION_NOT_SUPPORTED',
    `A2A version ${value.slice(0, 20)} is not supported; supported versions: ${A2A_VERSIONS.join(', ')}`,
  );
}

/** The version of a request whose version failed to negotiate: errors are then answered in 1.0. */
export function versionOrLatest(header: string | string[] | undefined): A2aVersion {
  try {
    return negotiateVersion(header);
  } catch {
    return '1.0';
  }
}
