import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { sqlArray, type Db } from '../../db/client.ts';
import { builtInStages, leads, lostReasons, pipelineStages, settings, taskPresets, users, type ApprovalStep, type Stage, type StageKind, type StageTaskTemplate } from '../../db/schema/index.ts';
import { AppError } from '../errors.ts';

/** A stage as the board, the forms and the admin page show it. */
export interface StageView {
  key: Stage;
  kind: StageKind;
  /** An admin's name; null: the built-in stage's name in the reader's language. */
  name: string | null;
  requiresAmount: boolean;
  tasks: StageTaskTemplate[];
}

export interface LostReasonView {
  id: number;
  /** A built-in reason's key, named by the web when `name` is null. */
  key: string | null;
  name: string | null;
  active: boolean;
}

/** A step of the approval chain, with the named approver's name for showing it. */
export type ApprovalStepView = { kind: 'team_manager' } | { kind: 'user'; userId: string; name: string };

export interface ApprovalSettings {
  /** Leads worth more than this (CNY) need approval to enter `stage` or any later stage; null: off. */
  threshold: number | null;
  stage: Stage;
  chain: ApprovalStepView[];
}

export interface PipelineConfig {
  stages: StageView[];
  lostReasons: LostReasonView[];
  approval: ApprovalSettings;
}

export async function listStages(db: Db): Promise<StageView[]> {
  return db
    .select({ key: pipelineStages.key, kind: pipelineStages.kind, name: pipelineStages.name, requiresAmount: pipelineStages.requiresAmount, tasks: pipelineStages.tasks })
    .from(pipelineStages)
    .orderBy(asc(pipelineStages.position));
}

export async function listLostReasons(db: Db): Promise<LostReasonView[]> {
  return db.select({ id: lostReasons.id, key: lostReasons.key, name: lostReasons.name, active: lostReasons.active }).from(lostReasons).orderBy(asc(lostReasons.position));
}

/** The approval settings with the chain's named approvers resolved (a person gone from the chain's users is left out). */
export async function getApprovalSettings(db: Db): Promise<ApprovalSettings> {
  const [row] = await db.select({ threshold: settings.approvalThreshold, stage: settings.approvalStage, chain: settings.approvalChain }).from(settings).where(eq(settings.id, 1));
  const raw = row ?? { threshold: 500_000, stage: 'quoted', chain: [{ kind: 'team_manager' } as ApprovalStep] };
  const ids = raw.chain.flatMap((s) => (s.kind === 'user' ? [s.userId] : []));
  const names = new Map(ids.length ? (await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids))).map((u) => [u.id, u.name]) : []);
  const chain = raw.chain.flatMap((s): ApprovalStepView[] => (s.kind === 'team_manager' ? [s] : names.has(s.userId) ? [{ ...s, name: names.get(s.userId)! }] : []));
  return { threshold: raw.threshold, stage: raw.stage, chain };
}

export async function getPipelineConfig(db: Db): Promise<PipelineConfig> {
  const [stages, reasons, approval] = await Promise.all([listStages(db), listLostReasons(db), getApprovalSettings(db)]);
  return { stages, lostReasons: reasons, approval };
}

// ------------------------------------------------------------------ the admin's changes

const stageName = z.string().trim().min(1, 'required').max(40);
const taskTemplate = z
  .strictObject({
    title: z.string().trim().min(1, 'required').max(200).optional(),
    preset: z.enum(taskPresets).optional(),
    dueDays: z.number().int().min(0).max(365),
  })
  .refine((t) => (t.title === undefined) !== (t.preset === undefined), { path: ['title'], message: 'required' });

export const stagesInput = z.strictObject({
  stages: z
    .array(
      z.strictObject({
        /** Absent for a stage the admin adds: the server names it. */
        key: z.string().max(40).optional(),
        name: stageName.nullable(),
        requiresAmount: z.boolean(),
        tasks: z.array(taskTemplate).max(10),
      }),
    )
    .min(3)
    .max(20),
});

/**
 * Replaces the pipeline: stages in order, each with its requirement and SOP tasks. The first stage is
 * `new` (where leads start); the last two are the won and the lost stage. A stage leads are in, or the
 * approval stage, cannot be removed (`pipeline.stage_in_use`).
 */
export async function updateStages(db: Db, input: z.infer<typeof stagesInput>): Promise<StageView[]> {
  const list = input.stages.map((s) => {
    const key = s.key ?? `s_${crypto.randomUUID().slice(0, 8)}`;
    return { ...s, key, kind: (key === 'won' || key === 'lost' ? key : 'open') as StageKind };
  });
  const fields: Record<string, string[]> = {};
  // Leads start in `new` and end in `won` or `lost`: those three stay where they are.
  if (list[0]!.key !== 'new' || list.at(-2)!.key !== 'won' || list.at(-1)!.key !== 'lost') fields['stages'] = ['order'];
  if (new Set(list.map((s) => s.key)).size !== list.length) fields['stages'] = ['duplicate'];
  return db.transaction(async (tx) => {
    // One admin at a time: the check of what is in use and the change see the same pipeline.
    await tx.execute(sql`lock table ${pipelineStages} in exclusive mode`);
    const current = new Map((await listStages(tx)).map((s) => [s.key, s]));
    input.stages.forEach((s, i) => {
      if (s.key !== undefined && !current.has(s.key)) fields[`stages.${i}.key`] = ['unknown'];
      // Only a built-in stage has a name without the admin's.
      if (s.name === null && !(builtInStages as readonly string[]).includes(s.key ?? '')) fields[`stages.${i}.name`] = ['required'];
    });
    if (Object.keys(fields).length) throw new AppError('request.invalid', { fields });
    const kept = list.map((s) => s.key);
    const removed = [...current.keys()].filter((k) => !kept.includes(k));
    if (removed.length) {
      const [approval] = await tx.select({ stage: settings.approvalStage }).from(settings).where(eq(settings.id, 1));
      if (approval && removed.includes(approval.stage)) throw new AppError('pipeline.stage_in_use', { stage: approval.stage, approval: true });
      const [used] = await tx
        .select({ stage: leads.stage, count: sql<number>`count(*)::int` })
        .from(leads)
        .where(inArray(leads.stage, removed))
        .groupBy(leads.stage)
        .limit(1);
      if (used) throw new AppError('pipeline.stage_in_use', { stage: used.stage, count: used.count });
      await tx.delete(pipelineStages).where(inArray(pipelineStages.key, removed));
      // Their reminder thresholds go with them.
      await tx.execute(sql`update settings set remind_stage_idle_days = remind_stage_idle_days - ${sqlArray(removed, 'text')}`);
    }
    for (const [position, s] of list.entries()) {
      const values = { position, kind: s.kind, name: s.name, requiresAmount: s.requiresAmount, tasks: s.tasks };
      await tx
        .insert(pipelineStages)
        .values({ key: s.key, ...values })
        .onConflictDoUpdate({ target: pipelineStages.key, set: values });
    }
    return listStages(tx);
  });
}

export const lostReasonsInput = z.strictObject({
  reasons: z
    .array(z.strictObject({ id: z.number().int().optional(), name: stageName.nullable(), active: z.boolean() }))
    .min(1)
    .max(30)
    .refine((list) => list.some((r) => r.active), { message: 'none_active' }),
});

/** Replaces the lost-reason list in order; a reason left out is retired, not deleted (leads and events name it). */
export async function updateLostReasons(db: Db, input: z.infer<typeof lostReasonsInput>): Promise<LostReasonView[]> {
  return db.transaction(async (tx) => {
    const current = new Map((await listLostReasons(tx)).map((r) => [r.id, r]));
    const fields: Record<string, string[]> = {};
    input.reasons.forEach((r, i) => {
      if (r.id !== undefined && !current.has(r.id)) fields[`reasons.${i}.id`] = ['unknown'];
      else if (r.name === null && (r.id === undefined || current.get(r.id)!.key === null)) fields[`reasons.${i}.name`] = ['required'];
    });
    if (Object.keys(fields).length) throw new AppError('request.invalid', { fields });
    const kept = input.reasons.flatMap((r) => (r.id === undefined ? [] : [r.id]));
    await tx
      .update(lostReasons)
      .set({ active: false, position: sql`${lostReasons.position} + 100` })
      .where(kept.length ? notInArray(lostReasons.id, kept) : sql`true`);
    for (const [position, r] of input.reasons.entries()) {
      if (r.id === undefined) await tx.insert(lostReasons).values({ name: r.name, position, active: r.active });
      else await tx.update(lostReasons).set({ name: r.name, position, active: r.active }).where(eq(lostReasons.id, r.id));
    }
    return listLostReasons(tx);
  });
}

export const approvalInput = z.strictObject({
  threshold: z.number().min(0).max(1e12).nullable(),
  stage: z.string().max(40),
  chain: z
    .array(z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('team_manager') }), z.strictObject({ kind: z.literal('user'), userId: z.string().min(1) })]))
    .min(1)
    .max(5),
});

/** Sets the approval threshold, the stage it guards (an open stage) and the chain (team manager, named managers or admins). */
export async function updateApprovalSettings(db: Db, input: z.infer<typeof approvalInput>): Promise<ApprovalSettings> {
  const fields: Record<string, string[]> = {};
  const [stage] = await db.select({ kind: pipelineStages.kind }).from(pipelineStages).where(eq(pipelineStages.key, input.stage));
  if (!stage || stage.kind !== 'open' || input.stage === 'new') fields['stage'] = ['unknown_stage'];
  const ids = input.chain.flatMap((s) => (s.kind === 'user' ? [s.userId] : []));
  const approvers = new Set(
    ids.length
      ? (await db.select({ id: users.id }).from(users).where(and(inArray(users.id, ids), eq(users.active, true), inArray(users.role, ['manager', 'admin'])))).map((u) => u.id)
      : [],
  );
  input.chain.forEach((s, i) => {
    if (s.kind === 'user' && !approvers.has(s.userId)) fields[`chain.${i}.userId`] = ['not_approver'];
  });
  if (Object.keys(fields).length) throw new AppError('request.invalid', { fields });
  const set = { approvalThreshold: input.threshold, approvalStage: input.stage, approvalChain: input.chain };
  await db
    .insert(settings)
    .values({ id: 1, ...set })
    .onConflictDoUpdate({ target: settings.id, set: { ...set, updatedAt: sql`now()` } });
  return getApprovalSettings(db);
}
