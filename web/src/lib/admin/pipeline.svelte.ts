import { api, call } from '#lib/api/client.js';
import { builtInStages, type LostReasonView, type PipelineConfig, type StageTaskTemplate, type TaskPreset } from '#lib/api/types.js';
import { m } from '#lib/paraglide/messages.js';
import { pipeline } from '#lib/pipeline/pipeline-config.svelte.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { FormState } from './form-state.svelte.js';
import { numberDraft, numberOrNull } from './number-draft.js';

/** A stage as its editor holds it (`key` absent: added here). */
export interface StageDraft {
  key?: string;
  name: string;
  requiresAmount: boolean;
  tasks: { title: string; preset?: TaskPreset; dueDays: string }[];
}

/** Whether a stage keeps its place: new first, won and lost last. */
export const fixedStage = (key: string | undefined) => key === 'new' || key === 'won' || key === 'lost';
const isBuiltIn = (key: string | undefined) => (builtInStages as readonly string[]).includes(key ?? '');

/** Admin › Pipeline › stages: order, names, what each requires, the tasks entering it creates. */
export class StagesEditor extends FormState {
  items = $state<StageDraft[]>([]);

  reset(config: PipelineConfig): void {
    this.items = config.stages.map((s) => ({
      key: s.key,
      name: s.name ?? '',
      requiresAmount: s.requiresAmount,
      tasks: s.tasks.map((t) => ({ title: t.title ?? '', preset: t.preset, dueDays: String(t.dueDays) })),
    }));
  }

  /** A new stage goes before won. */
  add(): void {
    this.items.splice(this.items.length - 2, 0, { name: '', requiresAmount: false, tasks: [] });
  }

  /** Moves an open stage up or down among the open ones. */
  move(index: number, step: -1 | 1): void {
    const to = index + step;
    if (fixedStage(this.items[index]?.key) || fixedStage(this.items[to]?.key) || !this.items[to]) return;
    [this.items[index], this.items[to]] = [this.items[to]!, this.items[index]!];
  }

  remove(index: number): void {
    if (!fixedStage(this.items[index]?.key)) this.items.splice(index, 1);
  }

  save(): Promise<boolean> {
    return this.submit(async () => {
      const stages = this.items.map((s) => ({
        ...(s.key ? { key: s.key } : {}),
        // A built-in stage left unnamed keeps its name in each reader's language.
        name: s.name.trim() || (isBuiltIn(s.key) ? null : ''),
        requiresAmount: s.requiresAmount,
        tasks: s.tasks.map((t): StageTaskTemplate => ({ ...(t.preset && !t.title.trim() ? { preset: t.preset } : { title: t.title.trim() }), dueDays: numberOrNull(t.dueDays) ?? 0 })),
      }));
      await call(api.pipeline.stages.$put({ json: { stages } }));
      await pipeline.load();
      this.reset(pipeline.config);
      toasts.success(m.pipeline_saved_toast());
    });
  }
}

/** A lost reason as its editor holds it. */
export interface ReasonDraft {
  id?: number;
  key: string | null;
  name: string;
  active: boolean;
}

/** Admin › Pipeline › lost reasons: the list reps choose from when a lead is lost. */
export class LostReasonsEditor extends FormState {
  items = $state<ReasonDraft[]>([]);

  reset(reasons: LostReasonView[]): void {
    this.items = reasons.map((r) => ({ id: r.id, key: r.key, name: r.name ?? '', active: r.active }));
  }

  add(): void {
    this.items.push({ key: null, name: '', active: true });
  }

  move(index: number, step: -1 | 1): void {
    const to = index + step;
    if (!this.items[to]) return;
    [this.items[index], this.items[to]] = [this.items[to]!, this.items[index]!];
  }

  save(): Promise<boolean> {
    return this.submit(async () => {
      const reasons = this.items.map((r) => ({ ...(r.id === undefined ? {} : { id: r.id }), name: r.name.trim() || (r.key ? null : ''), active: r.active }));
      await call(api.pipeline['lost-reasons'].$put({ json: { reasons } }));
      await pipeline.load();
      this.reset(pipeline.config.lostReasons);
      toasts.success(m.pipeline_saved_toast());
    });
  }
}

/** An approval step as its editor holds it: '' for the team's manager, else a person's id. */
export type StepDraft = { approver: string };

/** Admin › Pipeline › approvals: the threshold, the stage it guards, the chain. */
export class ApprovalEditor extends FormState {
  threshold = $state('');
  stage = $state('quoted');
  chain = $state<StepDraft[]>([]);
  /** Who may approve: active managers and admins. */
  people = $state<{ id: string; name: string }[]>([]);

  reset(config: PipelineConfig): void {
    this.threshold = numberDraft(config.approval.threshold);
    this.stage = config.approval.stage;
    this.chain = config.approval.chain.map((s) => ({ approver: s.kind === 'user' ? s.userId : '' }));
  }

  async loadPeople(): Promise<void> {
    const { items } = await call(api.users.$get());
    this.people = items.filter((u) => u.active && (u.role === 'manager' || u.role === 'admin')).map((u) => ({ id: u.id, name: u.name }));
  }

  save(): Promise<boolean> {
    return this.submit(async () => {
      const chain = this.chain.map((s) => (s.approver ? { kind: 'user' as const, userId: s.approver } : { kind: 'team_manager' as const }));
      await call(api.pipeline.approval.$put({ json: { threshold: numberOrNull(this.threshold), stage: this.stage, chain } }));
      await pipeline.load();
      this.reset(pipeline.config);
      toasts.success(m.pipeline_saved_toast());
    });
  }
}
