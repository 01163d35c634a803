import type { Command } from '../command';
import { serveCommand, demoCommand, statsCommand } from './basic';

/** Every CLI command; a new command is one import and one entry here. */
export const commands: Command[] = [serveCommand, demoCommand, statsCommand];
