import { z } from 'zod';

const name = z.string().trim().min(1, 'required').max(30, 'too_big');
const position = z.number().int().min(0).max(10_000).optional();

export const tagGroupInput = z.strictObject({ name, position });
export type TagGroupInput = z.infer<typeof tagGroupInput>;

export const tagInput = z.strictObject({ groupId: z.string().min(1, 'required').max(100), name, position });
export type TagInput = z.infer<typeof tagInput>;

export const tagPatch = z.strictObject({ name: name.optional(), position });
export type TagPatch = z.infer<typeof tagPatch>;
