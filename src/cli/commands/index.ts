import type { Command } from '../command.ts';
import { fitCommand } from './fit.ts';
import { inspectCommand } from './inspect.ts';
import { reportCommand } from './report.ts';

/** Every CLI command, in the order `scalefit --help` lists them. */
export const COMMANDS: Command[] = [fitCommand, inspectCommand, reportCommand];
