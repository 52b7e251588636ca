// The shipped Slack app manifest matches what the code serves.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMAND_NAMES } from '../../../src/commands/types.js';
import { SLACK_EVENTS_PATH } from '../../../src/adapters/slack/app.js';

interface Manifest {
  features: { slash_commands: { command: string; url: string; description: string; usage_hint?: string }[]; bot_user: { display_name: string } };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url: string }; socket_mode_enabled: boolean };
}

const manifest = parse(readFileSync(new URL('../../../slack/manifest.yaml', import.meta.url), 'utf8')) as Manifest;

describe('slack/manifest.yaml', () => {
  it('declares every command of the contract, each on /slack/events', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(COMMAND_NAMES.map((n) => `/${n}`));
    for (const c of manifest.features.slash_commands) {
      expect(c.url).toBe(`https://YOUR-HOST${SLACK_EVENTS_PATH}`);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(100);
    }
  });
  it('turns interactivity on for the buttons, on the same endpoint', () => {
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: `https://YOUR-HOST${SLACK_EVENTS_PATH}` });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });
  it('asks for the minimum scopes', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['channels:history', 'chat:write', 'commands', 'files:write', 'groups:history', 'users:read']);
  });
});
