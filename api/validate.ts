import type { ValidationTargets } from 'hono';
import { validator } from 'hono-openapi';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { AppError } from '../core/errors.ts';
import { fieldErrors, type ZodLikeIssue } from '../core/field-errors.ts';

export { fieldErrors, type FieldErrors } from '../core/field-errors.ts';

/** hono-openapi's validator (so the OpenAPI page knows the schema) answering 422 `request.invalid`. */
export const validate = <S extends StandardSchemaV1, T extends keyof ValidationTargets>(target: T, schema: S) =>
  validator(target, schema, (result) => {
    if (!result.success) throw new AppError('request.invalid', { fields: fieldErrors(result.error as readonly ZodLikeIssue[]) });
  });
