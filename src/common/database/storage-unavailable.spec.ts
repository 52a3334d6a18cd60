import { isStorageUnavailable } from './storage-unavailable';

function withCode(code: string, message = 'failed'): Error {
  return Object.assign(new Error(message), { code });
}

describe('isStorageUnavailable', () => {
  it.each([
    ['administrator shutdown (pg_terminate_backend, a restart)', withCode('57P01')],
    ['crash shutdown', withCode('57P02')],
    ['the server starting up', withCode('57P03')],
    ['connection failure', withCode('08006')],
    ['too many connections', withCode('53300')],
    ['connection refused', withCode('ECONNREFUSED')],
    ['connection reset', withCode('ECONNRESET')],
    ['a connection ended under a query', new Error('Connection terminated unexpectedly')],
    [
      'a broken client',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['a pool that cannot connect in time', new Error('timeout exceeded when trying to connect')],
    [
      'every address of a host refused',
      new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed'),
    ],
  ])('is true for %s', (_name, error) => {
    expect(isStorageUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a deadlock', withCode('40P01')],
    ['a syntax error', withCode('42601')],
    ['a code that only starts like a shutdown', withCode('57P014')],
    ['any other error', new Error('Cannot read properties of undefined')],
    ['an aggregate of other errors', new AggregateError([new Error('x')], 'y')],
    ['something that is not an Error', { code: '57P01' }],
  ])('is false for %s', (_name, error) => {
    expect(isStorageUnavailable(error)).toBe(false);
  });
});
