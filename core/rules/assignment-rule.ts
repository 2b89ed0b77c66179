import { z } from 'zod';
import type { LeadView } from '../leads/lead-view.ts';

/**
 * What an assignment rule's condition may test: a lead field, a tag (`tag`, by id) or a custom
 * field (`custom.<key>`).
 */
export const leadFieldNames = ['sourceChannel', 'exhibitionId', 'province', 'city', 'industry', 'intent', 'expectedAmount', 'tag'] as const;
const fieldName = z
  .string()
  .regex(new RegExp(`^(${leadFieldNames.join('|')}|custom\\.[a-z][a-z0-9_]{0,39})$`), 'unknown_field');

export const conditionOps = ['eq', 'neq', 'in', 'contains', 'gte', 'lte'] as const;
export type ConditionOp = (typeof conditionOps)[number];

const scalar = z.union([z.string().trim().min(1).max(200), z.number()]);
export const leafCondition = z.strictObject({
  field: fieldName,
  op: z.enum(conditionOps),
  /** `in`: a list; the others: one value. */
  value: z.union([scalar, z.array(z.string().trim().min(1).max(200)).min(1).max(200)]),
});
export type LeafCondition = z.infer<typeof leafCondition>;

/** All (AND) or any (OR) of its items, each a test or a nested group; an empty `all` matches every lead. */
export interface ConditionGroup {
  match: 'all' | 'any';
  items: (LeafCondition | ConditionGroup)[];
}
export const conditionGroup: z.ZodType<ConditionGroup> = z.lazy(() =>
  z.strictObject({ match: z.enum(['all', 'any']), items: z.array(z.union([leafCondition, conditionGroup])).max(30) }),
);

export const teamStrategies = ['round_robin', 'least_loaded'] as const;
export const assignmentAction = z.discriminatedUnion('type', [
  /** To one rep (passed over, and the lead left in its pool, if they are away, inactive or at their limit). */
  z.strictObject({ type: z.literal('rep'), userId: z.string().min(1).max(100) }),
  /** To a rep of the team, in turn or to the one holding fewest, skipping those away, inactive or at their limit. */
  z.strictObject({ type: z.literal('team'), teamId: z.string().min(1).max(100), strategy: z.enum(teamStrategies) }),
  /** Into a pool, unclaimed. */
  z.strictObject({ type: z.literal('pool'), poolId: z.string().min(1).max(100) }),
]);
export type AssignmentAction = z.infer<typeof assignmentAction>;

export const assignmentRuleInput = z.strictObject({
  name: z.string().trim().min(1, 'required').max(100),
  enabled: z.boolean(),
  condition: conditionGroup,
  action: assignmentAction,
});
export type AssignmentRuleInput = z.infer<typeof assignmentRuleInput>;

/** A door's rules in order (the first that matches acts). */
export const assignmentRulesInput = z.strictObject({ rules: z.array(assignmentRuleInput).max(200) });

type Value = string | number | string[] | null;

function fieldValue(lead: LeadView, field: string): Value {
  if (field === 'tag') return lead.tags.map((t) => t.id);
  if (field.startsWith('custom.')) return lead.custom[field.slice('custom.'.length)] ?? null;
  return (lead[field as Exclude<(typeof leadFieldNames)[number], 'tag'>] ?? null) as Value;
}

const same = (a: string | number, b: string | number) => String(a).toLowerCase() === String(b).toLowerCase();

function test(actual: Value, op: ConditionOp, expected: LeafCondition['value']): boolean {
  if (actual === null) return op === 'neq';
  const values = Array.isArray(actual) ? actual : [actual];
  switch (op) {
    case 'eq':
      return !Array.isArray(expected) && values.some((v) => same(v, expected));
    case 'neq':
      return !Array.isArray(expected) && !values.some((v) => same(v, expected));
    case 'in':
      return (Array.isArray(expected) ? expected : [String(expected)]).some((e) => values.some((v) => same(v, e)));
    case 'contains':
      return !Array.isArray(expected) && values.some((v) => String(v).toLowerCase().includes(String(expected).toLowerCase()));
    case 'gte':
    case 'lte': {
      if (Array.isArray(expected) || Array.isArray(actual)) return false;
      // Numbers as numbers; dates (YYYY-MM-DD) and other text as text.
      const [a, e] = typeof actual === 'number' || typeof expected === 'number' ? [Number(actual), Number(expected)] : [actual, expected];
      return op === 'gte' ? a >= e : a <= e;
    }
  }
}

/** Whether the lead meets the condition. */
export function matches(lead: LeadView, condition: ConditionGroup | LeafCondition): boolean {
  if ('field' in condition) return test(fieldValue(lead, condition.field), condition.op, condition.value);
  return condition.match === 'all' ? condition.items.every((c) => matches(lead, c)) : condition.items.some((c) => matches(lead, c));
}
