// ioredis's Command constructor flattens its arguments with `args.flat()`, and on Node 20 V8's
// Array.prototype.flat costs ~110 ns an element (a generic builtin: `slice` of the same array is
// ~0.6 ns an element; `npx tsx bench/command-args.ts`). Every command pays it for every argument,
// and the pipeline's script calls carry many: a 300 × 20 bench run flattened ~420,000 (story
// commits ~1,000 a call, BullMQ's moveToFinished ~25, the trend counters ~30, the seen claims
// ~120): the constructor's own samples were 2.2% of the main thread's in the 1,000-feed cold
// cycle, 1.0–1.1% with this (issue 16). Installed once when the connection module loads: ioredis's modules construct
// `Command_1.default` (read at each call, and by Script when a script is defined), which becomes
// a subclass that hands its parent no arguments to flatten and sets the same flattened list
// itself with a loop. Same arguments, same order: nested arrays one level deep, holes skipped.
// With a key prefix (the parent rewrites the keys as it builds them) the parent does it all.
// It leans on ioredis 6's internals (built/Command.js's default export, `_transformer`,
// `stringifyArguments`): test/integration/redis/command-args.test.ts fails if an upgrade moves them.
import { createRequire } from 'node:module';

type Command = { args: unknown[]; stringifyArguments(): void };
type CommandClass = (new (name: string, args?: unknown[], options?: { keyPrefix?: unknown }, callback?: unknown) => Command) & {
  _transformer: { argument: Record<string, ((args: unknown[]) => unknown[]) | undefined> };
  flatArgs?: true;
};

/** `args.flat()` (depth 1), for the arrays commands are given. */
export function flatArgs(args: readonly unknown[]): unknown[] {
  // Most calls pass a flat list with no holes: a copy (the command changes its list in place).
  let i = 0;
  while (i < args.length && !Array.isArray(args[i]) && (args[i] !== undefined || i in args)) i++;
  if (i === args.length) return args.slice();
  const out: unknown[] = [];
  for (let j = 0; j < args.length; j++) {
    const a = args[j];
    if (Array.isArray(a)) {
      for (let k = 0; k < a.length; k++) {
        const v: unknown = a[k];
        if (v !== undefined || k in a) out.push(v);
      }
    } else if (a !== undefined || j in args) out.push(a);
  }
  return out;
}

const ioredisCommand = createRequire(import.meta.url)('ioredis/built/Command.js') as { default: CommandClass };

/** Whether ioredis builds its commands with flatArgs (installed below; a test checks it). */
export function flatArgsInstalled(): boolean {
  return ioredisCommand.default.flatArgs === true;
}

if (!flatArgsInstalled()) {
  const Parent = ioredisCommand.default;
  class FlatArgsCommand extends Parent {
    static override readonly flatArgs = true as const;
    constructor(name: string, args: unknown[] = [], options: { keyPrefix?: unknown } = {}, callback?: unknown) {
      // The parent's constructor transforms (HSET's object form, …) and stringifies its arguments
      // in place (initPromise): an empty list of its own here, then the same steps on ours.
      super(name, options.keyPrefix ? args : [], options, callback);
      if (options.keyPrefix) return;
      const flat = flatArgs(args);
      const transform = Parent._transformer.argument[name];
      this.args = transform ? transform(flat) : flat;
      this.stringifyArguments();
    }
  }
  ioredisCommand.default = FlatArgsCommand;
}
