import type { Command } from '../command.ts';
import { compareCommand } from './compare.ts';
import { fitCommand } from './fit.ts';
import { inspectCommand } from './inspect.ts';
import { envelopeCommand, isoflopCommand } from './isoflop.ts';
import { optimalCommand } from './optimal.ts';
import { optimalDataconCommand } from './optimalDatacon.ts';
import { optimalInferenceCommand } from './optimalInference.ts';
import { predictCommand } from './predict.ts';
import { reportCommand } from './report.ts';
import { reproduceCommand } from './reproduce.ts';

/** Every CLI command, in the order `scalefit --help` lists them. */
export const COMMANDS: Command[] = [
  fitCommand,
  inspectCommand,
  predictCommand,
  optimalCommand,
  isoflopCommand,
  envelopeCommand,
  compareCommand,
  optimalDataconCommand,
  optimalInferenceCommand,
  reportCommand,
  reproduceCommand,
];
