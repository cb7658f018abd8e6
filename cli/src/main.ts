// The composition root of the eventfold CLI: the only place that reads the environment.
import { consoleOutput } from './commands/output';
import { runCli } from './program';

void runCli(process.argv.slice(2), { env: process.env, out: consoleOutput }).then((code) => {
  process.exitCode = code;
});
