import { DomainError } from '../../common/errors/domain-error';
import { isUuid } from '../../common/is-uuid';

/** Opaque page cursors: the (created_at, id) of the last task of the previous page. */
export function encodeCursor(position: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      string,
      string,
    ];
    const createdAt = new Date(at);
    if (!Number.isNaN(createdAt.getTime()) && typeof id === 'string' && isUuid(id))
      return { createdAt, id };
  } catch {
    // fall through to the error below
  }
  throw new DomainError('VALIDATION_FAILED', 'cursor: not a cursor this API returned');
}
