import type { Logger } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { A2aError, answerableError, errorHeaders, toA2aError } from './a2a-error';

/** The errors are logged; what is logged is not what these tests are about. */
const logger = { error: () => undefined, warn: () => undefined } as unknown as Logger;

describe('A2A errors', () => {
  it('answers a database that dropped the connection as the gateway’s UNAVAILABLE', () => {
    const dropped = Object.assign(new Error('terminating connection'), { code: '57P01' });
    const error = answerableError(dropped, logger);
    expect(error.reason).toBe('UNAVAILABLE');
    expect(error.spec).toEqual({
      jsonRpc: -31503,
      http: 503,
      status: 'UNAVAILABLE',
      kind: 'gateway',
    });
    expect(error.errorInfo()).toEqual({
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'UNAVAILABLE',
      domain: 'a2a-gateway',
    });
    expect(errorHeaders(error)).toEqual({ 'retry-after': '1' });
  });

  it('keeps other unknown errors internal, with an id and no database wording', () => {
    const error = answerableError(new TypeError('x is undefined'), logger);
    expect(error.reason).toBe('INTERNAL_ERROR');
    expect(error.message).toMatch(/^Internal error \(error id [0-9a-f-]{36}\)$/);
    expect(errorHeaders(error)).toEqual({});
  });

  it('maps domain errors by their code and asks for a bearer token on 401', () => {
    const error = toA2aError(new DomainError('TOKEN_EXPIRED', 'expired'));
    expect(error).toBeInstanceOf(A2aError);
    expect(error?.reason).toBe('UNAUTHENTICATED');
    expect(errorHeaders(error as A2aError)).toEqual({ 'www-authenticate': 'Bearer' });
  });
});
