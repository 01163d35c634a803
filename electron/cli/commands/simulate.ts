import type { Command } from '../command';

/** Commands of this area; filled in by its issue. */
export const simulateCommands: Command[] = [];
