// Runs the CLI from source (through tsx), as `npx steppewatch` runs it from dist.
import { main } from '../../src/cli/cli.js';

await main(process.argv.slice(2));
