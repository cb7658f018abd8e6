import type { KeyedCommand } from '../changes/commandsOfChange';
import type { CommandAnswer, CommandClient } from './commandClient';
import type { UserImports } from './userImports';

/** Sends one migration command to the command service's route for it; final answers only (see CommandClient). */
export async function applyCommand(
  { key, command }: KeyedCommand,
  commands: CommandClient,
  imports: UserImports,
): Promise<CommandAnswer> {
  if (command.type === 'ImportUser') return imports.importRow(key, command.row);
  const userId = imports.userIdOf(command.legacyId);
  const user = `/v1/users/${encodeURIComponent(userId)}`;
  switch (command.type) {
    case 'ChangeUserName':
      return commands.send('PUT', `${user}/name`, key, { name: command.name });
    case 'ChangeUserEmail':
      return commands.send('PUT', `${user}/email`, key, { email: command.email });
    case 'DeactivateUser':
      return commands.send('DELETE', user, key, undefined);
    case 'ReactivateUser':
      return commands.send('POST', `${user}/reactivation`, key, undefined);
    default: {
      const exhaustive: never = command;
      return exhaustive;
    }
  }
}
