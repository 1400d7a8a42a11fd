import type { Command } from '../command.ts';
import { compareCommand } from './compare.ts';
import { fitCommand } from './fit.ts';
import { inspectCommand } from './inspect.ts';
import { optimalDataconCommand } from './optimalDatacon.ts';
import { optimalInferenceCommand } from './optimalInference.ts';
import { reproduceCommand } from './reproduce.ts';

/** Every CLI command, in the order `scalefit --help` lists them. */
export const COMMANDS: Command[] = [
  fitCommand,
  inspectCommand,
  compareCommand,
  optimalDataconCommand,
  optimalInferenceCommand,
  reproduceCommand,
];
