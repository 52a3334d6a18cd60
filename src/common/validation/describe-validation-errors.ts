import type { ValidationError } from 'class-validator';

/** Flattens nested class-validator errors into messages that name the full field path. */
export function validationMessages(errors: readonly ValidationError[], path = ''): string[] {
  return errors.flatMap((error) => {
    const here = path ? `${path}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((c) => `${here}: ${c}`);
    return [...own, ...validationMessages(error.children ?? [], here)];
  });
}
