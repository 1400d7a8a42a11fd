import type { BootstrapTask, ResampleFit } from './bootstrapChunk.ts';
import { bootstrapChunk } from './bootstrapChunk.ts';

/** The piscina worker: one chunk of bootstrap refits per task (loaded through bootstrapWorker.mjs). */
export default function bootstrapWorker(task: BootstrapTask): ResampleFit[] {
  return bootstrapChunk(task);
}
