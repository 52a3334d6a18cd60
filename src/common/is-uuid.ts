const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Task ids come from URLs: anything that is not a uuid names no task and must not reach a ::uuid cast. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
