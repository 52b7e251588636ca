// `--help` on every command and exit code 64 for bad usage, through the CLI as a user runs it.
// Every command in COMMAND_HELP is checked, so a new command gets these checks by adding its usage.
import { describe, expect, it } from 'vitest';
import { COMMAND_HELP } from '../../../src/cli/cli.js';
import { cleanEnv, runCli, type CliRun } from '../../helpers/cli.js';

/** Runs CLI invocations a few at a time (each is a Node process with tsx). */
async function runAll(cases: string[][]): Promise<CliRun[]> {
  const out: CliRun[] = new Array(cases.length);
  let next = 0;
  const lane = async () => {
    while (next < cases.length) {
      const i = next++;
      out[i] = await runCli(cases[i]!, { env: cleanEnv(), timeoutMs: 120_000 });
    }
  };
  await Promise.all([lane(), lane(), lane()]);
  return out;
}

const commands = [...Object.keys(COMMAND_HELP), 'bench'];

describe('steppewatch <command> --help', () => {
  it('prints that command\'s usage on stdout and exits 0, for every command', async () => {
    const runs = await runAll(commands.map((c) => [...c.split(' '), '--help']));
    runs.forEach((r, i) => {
      const cmd = commands[i]!;
      expect({ cmd, code: r.code }).toEqual({ cmd, code: 0 });
      const first = r.stdout.split('\n')[0]!;
      expect(first.startsWith(cmd === 'bench' ? 'steppewatch bench' : `Usage: steppewatch ${cmd}`), `${cmd}: ${first}`).toBe(true);
      expect(r.stderr).toBe('');
    });
  }, 600_000);

  it('a bad option exits 64 with that command\'s usage on stderr, and starts nothing', async () => {
    const runs = await runAll(commands.map((c) => [...c.split(' '), '--no-such-option']));
    runs.forEach((r, i) => {
      const cmd = commands[i]!;
      expect({ cmd, code: r.code }).toEqual({ cmd, code: 64 });
      expect(r.stderr, cmd).toContain('--no-such-option');
      expect(r.stderr, cmd).toContain(cmd === 'bench' ? 'steppewatch bench [options]' : `Usage: steppewatch ${cmd}`);
      expect(r.stdout, cmd).toBe('');
    });
  }, 600_000);

  it('help COMMAND, no command, and an unknown command', async () => {
    const [help, none, unknown, analyze] = await runAll([['help', 'feeds', 'check'], [], ['nope'], ['analyze', '--help']]);
    expect(help!.code).toBe(0);
    expect(help!.stdout).toBe(`${COMMAND_HELP['feeds check']}\n`);
    expect(none!.code).toBe(64);
    expect(none!.stderr).toContain('Usage: steppewatch <command>');
    expect(unknown!.code).toBe(64);
    expect(unknown!.stderr.split('\n')[0]).toBe('steppewatch: unknown command "nope"');
    // analyze documents its input and its errors.
    expect(analyze!.stdout).toContain('"id": "a1"');
    expect(analyze!.stdout).toContain('{id?, line, error}');
  }, 600_000);
});
