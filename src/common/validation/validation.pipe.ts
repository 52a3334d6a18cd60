import { ValidationPipe } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { validationMessages } from './describe-validation-errors';

/** DTOs are checked at the edge; a 400 names every offending field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const messages = validationMessages(errors);
      return new DomainError('VALIDATION_FAILED', messages.join('; '), { fields: messages });
    },
  });
}
