#!/usr/bin/env node
// The `atlas` command. A plain JavaScript shim so it runs from any directory and from
// node_modules (where Node refuses to strip TypeScript types): tsx loads the TypeScript CLI.
import './check-node.mjs';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
