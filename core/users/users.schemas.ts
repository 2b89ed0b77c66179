import { z } from 'zod';
import { roles } from '../../db/schema/index.ts';

const name = z.string().trim().min(1, 'required').max(100);
const password = z.string().min(8, 'password_too_short').max(200);

export const createUserInput = z.strictObject({
  name,
  email: z.string().trim().toLowerCase().pipe(z.email('invalid_email')),
  password,
  role: z.enum(roles),
  teamId: z.string().nullable().optional(),
});
export type CreateUserInput = z.infer<typeof createUserInput>;

export const updateUserInput = z.strictObject({
  name: name.optional(),
  role: z.enum(roles).optional(),
  teamId: z.string().nullable().optional(),
  active: z.boolean().optional(),
  password: password.optional(),
});
export type UpdateUserInput = z.infer<typeof updateUserInput>;

export const setupInput = z.strictObject({
  name,
  email: z.string().trim().toLowerCase().pipe(z.email('invalid_email')),
  password,
});
