/** Query parameters whose values never reach a log line. */
const SECRET_PARAMS = /([?&](?:token|access_token|api_key)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[REDACTED]');
}
