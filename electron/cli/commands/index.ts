import type { Command } from '../command';
import { serveCommand, demoCommand, statsCommand } from './basic';
import { importCommand } from './import';
import { ledgerCommands } from './ledger';
import { simulateCommands } from './simulate';
import { reportCommands } from './report';
import { backupCommands } from './backup';

/** Every CLI command; a new command group is one import and one spread here. */
export const commands: Command[] = [serveCommand, demoCommand, statsCommand, importCommand, ...ledgerCommands, ...simulateCommands, ...reportCommands, ...backupCommands];
