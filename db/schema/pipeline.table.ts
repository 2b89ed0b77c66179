import { boolean, integer, jsonb, pgTable, smallint, text } from 'drizzle-orm/pg-core';

/** The stages a new install starts with, in order; their names come from the messages unless an admin renames them. */
export const builtInStages = ['new', 'contacted', 'qualified', 'quoted', 'negotiation', 'won', 'lost'] as const;
export type BuiltInStage = (typeof builtInStages)[number];

/** A pipeline stage's key: a built-in one or an admin's own (`s_…`). */
export type Stage = string;

/** What a stage means to the pipeline: leads move through open stages and end won or lost. */
export const stageKinds = ['open', 'won', 'lost'] as const;
export type StageKind = (typeof stageKinds)[number];

/** Task titles the system ships with; the web names them in the reader's language. */
export const taskPresets = ['quote_call_back', 'send_brochure'] as const;
export type TaskPreset = (typeof taskPresets)[number];

/** A task a stage's SOP template puts on the owner's list on entering it: due `dueDays` days later (0: now). */
export interface StageTaskTemplate {
  title?: string;
  preset?: TaskPreset;
  dueDays: number;
}

/** The organisation's pipeline: stages in order, what each requires, and the tasks entering it creates. */
export const pipelineStages = pgTable('pipeline_stages', {
  key: text().primaryKey(),
  position: smallint().notNull(),
  kind: text({ enum: stageKinds }).notNull().default('open'),
  // An admin's name for the stage; null: the built-in stage's name in the reader's language.
  name: text(),
  // Moving a lead here needs an expected amount (from a quote on, the pipeline's figures count it).
  requiresAmount: boolean().notNull().default(false),
  tasks: jsonb().$type<StageTaskTemplate[]>().notNull().default([]),
});

export type PipelineStageRow = typeof pipelineStages.$inferSelect;

/** Reasons a lost lead can be given, as an admin keeps the list; built-in ones are named by the web. */
export const lostReasons = pgTable('lost_reasons', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  // A built-in reason's key (price, competitor, …); null for an admin's own.
  key: text().unique(),
  // An admin's name for the reason; null: the built-in reason's name in the reader's language.
  name: text(),
  position: smallint().notNull(),
  // Retired reasons stay for the leads and events that name them.
  active: boolean().notNull().default(true),
});

export const builtInLostReasons = ['price', 'competitor', 'no_budget', 'no_need', 'unreachable', 'other'] as const;
export type BuiltInLostReason = (typeof builtInLostReasons)[number];
