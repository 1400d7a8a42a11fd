import type { LrSchedule } from './schedule.ts';

/** The variables a law can read from a run. N parameters, D tokens, C training FLOPs, S steps, U unique tokens. */
export type Variable = 'N' | 'D' | 'C' | 'S' | 'U';

/** One training run (or one checkpoint of a run). `line` is the 1-based line in the source file. */
export interface Run {
  N?: number;
  D?: number;
  C?: number;
  S?: number;
  U?: number;
  loss: number;
  /** The run id, for files that hold whole loss curves. */
  run?: string;
  /** The learning-rate schedule of the run this checkpoint belongs to (curve laws read it; S is the step). */
  schedule?: LrSchedule;
  /** Other columns, verbatim. */
  tags: Record<string, string>;
  line: number;
}
