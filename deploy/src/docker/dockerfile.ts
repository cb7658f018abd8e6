import fs from 'node:fs';

export interface Instruction {
  /** Upper case: FROM, RUN, ENV… */
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly from: string;
  readonly name: string | null;
  readonly instructions: readonly Instruction[];
}

/** The instructions of a Dockerfile in order (continuation lines joined, comments dropped). */
export function readInstructions(file: string): Instruction[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const instructions: Instruction[] = [];
  let pending = '';
  for (const line of lines) {
    if (/^\s*#/.test(line)) continue;
    const text = pending + line.trim();
    if (text.endsWith('\\')) {
      pending = `${text.slice(0, -1)} `;
      continue;
    }
    pending = '';
    const match = /^(\w+)\s+(.*)$/.exec(text);
    if (match) instructions.push({ keyword: match[1]!.toUpperCase(), args: match[2]!.trim() });
  }
  return instructions;
}

/** The build stages, each with the instructions after its FROM. */
export function stagesOf(instructions: readonly Instruction[]): Stage[] {
  const stages: Stage[] = [];
  let current: { from: string; name: string | null; instructions: Instruction[] } | null = null;
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [from = '', , name = null] = instruction.args.split(/\s+/);
      current = { from, name, instructions: [] };
      stages.push(current);
    } else current?.instructions.push(instruction);
  }
  return stages;
}

/** `ENV A=1 B=2` of a stage, as name → value (quotes removed). */
export function stageEnvironment(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage.instructions) {
    if (keyword !== 'ENV') continue;
    for (const match of args.matchAll(/(\w+)=("[^"]*"|\S*)/g))
      env[match[1]!] = match[2]!.replace(/^"|"$/g, '');
  }
  return env;
}

/** The default of `ARG name=value` anywhere in the file (before the first FROM too). */
export function argDefault(instructions: readonly Instruction[], name: string): string | undefined {
  for (const { keyword, args } of instructions)
    if (keyword === 'ARG' && args.startsWith(`${name}=`)) return args.slice(name.length + 1);
  return undefined;
}
