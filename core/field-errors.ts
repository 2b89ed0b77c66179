import type { StandardSchemaV1 } from '@standard-schema/spec';

/** Field errors by dotted path ('' for the whole body), each a stable code such as `required`. */
export type FieldErrors = Record<string, string[]>;

export type ZodLikeIssue = StandardSchemaV1.Issue & { code?: string; keys?: string[] };

export function fieldErrors(issues: readonly ZodLikeIssue[]): FieldErrors {
  const fields: FieldErrors = {};
  const add = (path: string, code: string) => (fields[path] ??= []).push(code);
  for (const issue of issues) {
    const path = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys ?? []) add(path ? `${path}.${key}` : key, 'unknown_field');
    } else {
      // Our schemas give codes as messages; zod's own messages are prose, so fall back to its issue code.
      add(path, /^[a-z_]+$/.test(issue.message) ? issue.message : (issue.code ?? 'invalid'));
    }
  }
  return fields;
}
