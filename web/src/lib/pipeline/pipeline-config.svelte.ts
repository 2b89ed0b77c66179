import { api, call } from '#lib/api/client.js';
import { builtInStages, type LostReasonView, type PipelineConfig, type Stage, type StageView } from '#lib/api/types.js';

// Until the organisation's pipeline has loaded: the built-in stages, as a new install has them.
const fallback: PipelineConfig = {
  stages: builtInStages.map((key) => ({ key, kind: key === 'won' || key === 'lost' ? key : 'open', name: null, requiresAmount: ['quoted', 'negotiation', 'won'].includes(key), tasks: [] })),
  lostReasons: [],
  approval: { threshold: null, stage: 'quoted', chain: [] },
};

/** The organisation's pipeline (stages, lost reasons, approval settings), loaded once signed in. */
class PipelineSettings {
  config = $state<PipelineConfig>(fallback);
  loaded = $state(false);

  get stages(): StageView[] {
    return this.config.stages;
  }

  /** Reasons a lead can be lost for now (retired ones stay only for old leads). */
  get lostReasons(): LostReasonView[] {
    return this.config.lostReasons.filter((r) => r.active);
  }

  stage(key: Stage): StageView | undefined {
    return this.config.stages.find((s) => s.key === key);
  }

  /** Where a stage sits on the board (-1: not in the pipeline any more). */
  position(key: Stage): number {
    return this.config.stages.findIndex((s) => s.key === key);
  }

  /** Whether a lead worth `amount` needs the approval chain to enter `target` (`approved`: what it was approved for). */
  needsApproval(target: Stage, amount: number | null, approved: number | null = null): boolean {
    const { threshold, stage } = this.config.approval;
    if (threshold === null || amount === null || amount <= threshold || this.stage(target)?.kind === 'lost') return false;
    if (approved !== null && approved >= amount) return false;
    const gate = this.position(stage);
    return gate >= 0 && this.position(target) >= gate;
  }

  async load(): Promise<void> {
    this.config = (await call(api.pipeline.config.$get())).config;
    this.loaded = true;
  }
}

export const pipeline = new PipelineSettings();
