import { api, call } from '#lib/api/client.js';
import { conditionOps, intents, sourceChannels, type AssignmentRuleInput, type doors, type ExhibitionView, type LeafCondition, type PoolView, type TeamView, type UserView } from '#lib/api/types.js';
import { intentLabel, sourceLabel } from '#lib/i18n/labels.js';
import { m } from '#lib/paraglide/messages.js';
import { TagCatalog } from '#lib/tags/catalog.svelte.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { FormState } from './form-state.svelte.js';

export type Door = (typeof doors)[number];
export type ConditionOp = (typeof conditionOps)[number];

type Rules = AssignmentRuleInput[];
type Leaf = LeafCondition;
export type DryRunRow = Awaited<ReturnType<typeof dryRunCall>>['items'][number];
const dryRunCall = (door: Door, rules: Rules) => call(api['assignment-rules'][':door']['dry-run'].$post({ param: { door }, json: { rules, limit: 50 } }));

/** One condition as the editor holds it: `values` for a pick from a list, `text` for typed values. */
export interface ConditionDraft {
  field: string;
  op: ConditionOp;
  text: string;
  values: string[];
}

/** A rule as the editor holds it (one level of conditions; the API takes nested groups too). */
export interface RuleDraft {
  name: string;
  enabled: boolean;
  match: 'all' | 'any';
  conditions: ConditionDraft[];
  action: 'rep' | 'team' | 'pool';
  userId: string;
  teamId: string;
  strategy: 'round_robin' | 'least_loaded';
  poolId: string;
}

/** Fields whose values come from a list (the editor offers a pick, the rule stores ids). */
export type FieldOptions = { value: string; label: string }[] | null;

const numericFields = (field: string, numeric: Set<string>) => field === 'expectedAmount' || numeric.has(field);

export const blankCondition = (): ConditionDraft => ({ field: 'province', op: 'eq', text: '', values: [] });
export const blankRule = (): RuleDraft => ({
  name: '',
  enabled: true,
  match: 'all',
  conditions: [blankCondition()],
  action: 'team',
  userId: '',
  teamId: '',
  strategy: 'round_robin',
  poolId: 'company',
});

function draftOf(rule: AssignmentRuleInput): RuleDraft {
  const leaves = rule.condition.items.filter((c): c is Leaf => 'field' in c);
  return {
    ...blankRule(),
    name: rule.name,
    enabled: rule.enabled,
    match: rule.condition.match,
    conditions: leaves.map((c) => ({
      field: c.field,
      op: c.op,
      text: Array.isArray(c.value) ? c.value.join(', ') : String(c.value),
      values: Array.isArray(c.value) ? c.value : [String(c.value)],
    })),
    action: rule.action.type,
    ...(rule.action.type === 'rep' ? { userId: rule.action.userId } : {}),
    ...(rule.action.type === 'team' ? { teamId: rule.action.teamId, strategy: rule.action.strategy } : {}),
    ...(rule.action.type === 'pool' ? { poolId: rule.action.poolId } : {}),
  };
}

/** Admin › Assignment: each door's ordered rules, edited as a whole, with a dry run before saving. */
export class AssignmentAdmin extends FormState {
  door = $state<Door>('manual');
  rules = $state<RuleDraft[]>([]);
  loading = $state(true);
  users = $state.raw<UserView[]>([]);
  teams = $state.raw<TeamView[]>([]);
  pools = $state.raw<PoolView[]>([]);
  exhibitions = $state.raw<ExhibitionView[]>([]);
  readonly catalog = new TagCatalog();
  dryRun = $state.raw<DryRunRow[] | null>(null);

  async load(): Promise<void> {
    try {
      const [users, teams, pools, exhibitions] = await Promise.all([
        call(api.users.$get()),
        call(api.teams.$get()),
        call(api.pools.$get()),
        call(api.exhibitions.$get()),
        this.catalog.load(),
      ]);
      [this.users, this.teams, this.pools, this.exhibitions] = [users.items, teams.items, pools.items, exhibitions.items];
      await this.openDoor(this.door);
    } catch (err) {
      handleError(err);
    }
  }

  async openDoor(door: Door): Promise<void> {
    this.door = door;
    this.dryRun = null;
    this.fieldErrors = {};
    this.loading = true;
    try {
      this.rules = (await call(api['assignment-rules'][':door'].$get({ param: { door } }))).items.map((r) => draftOf(r as AssignmentRuleInput));
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  /** The options of a field offered as a pick, or null when its value is typed. */
  optionsOf(field: string): FieldOptions {
    if (field === 'tag') return this.catalog.groups.flatMap((g) => g.tags.map((t) => ({ value: t.id, label: `${g.name} · ${t.name}` })));
    if (field === 'exhibitionId') return this.exhibitions.map((e) => ({ value: e.id, label: e.name }));
    if (field === 'intent') return intents.map((v) => ({ value: v, label: intentLabel(v) }));
    if (field === 'sourceChannel') return sourceChannels.map((v) => ({ value: v, label: sourceLabel(v) }));
    const custom = this.catalog.liveFields.find((f) => `custom.${f.key}` === field);
    return custom?.options?.length ? custom.options.map((o) => ({ value: o, label: o })) : null;
  }

  move(index: number, by: -1 | 1): void {
    const target = index + by;
    if (target < 0 || target >= this.rules.length) return;
    const next = [...this.rules];
    [next[index], next[target]] = [next[target]!, next[index]!];
    this.rules = next;
  }

  /** The drafts as the API takes them. */
  json(): Rules {
    const numeric = new Set(this.catalog.liveFields.filter((f) => f.type === 'number').map((f) => `custom.${f.key}`));
    return this.rules.map((r) => ({
      name: r.name.trim(),
      enabled: r.enabled,
      condition: {
        match: r.match,
        items: r.conditions.map((c): Leaf => {
          const typed = c.text.split(/[,，、]/).map((v) => v.trim()).filter(Boolean);
          const picked = this.optionsOf(c.field) ? c.values : typed;
          if (c.op === 'in') return { field: c.field, op: c.op, value: picked };
          const one = picked[0] ?? '';
          return { field: c.field, op: c.op, value: numericFields(c.field, numeric) && one !== '' ? Number(one) : one };
        }),
      },
      action:
        r.action === 'rep'
          ? { type: 'rep' as const, userId: r.userId }
          : r.action === 'team'
            ? { type: 'team' as const, teamId: r.teamId, strategy: r.strategy }
            : { type: 'pool' as const, poolId: r.poolId },
    }));
  }

  save(): Promise<boolean> {
    return this.submit(async () => {
      const { items } = await call(api['assignment-rules'][':door'].$put({ param: { door: this.door }, json: { rules: this.json() } }));
      this.rules = items.map((r) => draftOf(r as AssignmentRuleInput));
      toasts.success(m.assign_saved());
    });
  }

  /** What the drafts would do with the door's last 50 leads. */
  runDry(): Promise<boolean> {
    return this.submit(async () => {
      this.dryRun = (await dryRunCall(this.door, this.json())).items;
    });
  }
}
