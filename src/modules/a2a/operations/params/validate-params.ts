import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { validationMessages } from '../../../../common/validation/describe-validation-errors';
import { A2aError } from '../../a2a-error';

/**
 * A request's params checked against their DTO. Fields the gateway does not model (`tenant`,
 * newer protocol fields) are dropped rather than refused: A2A clients send the whole message.
 */
export function validateParams<T extends object>(type: ClassConstructor<T>, params: unknown): T {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new A2aError('INVALID_PARAMS', 'params: must be an object');
  }
  const instance = plainToInstance(type, params);
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new A2aError('INVALID_PARAMS', validationMessages(errors).join('; '));
  }
  return instance;
}
