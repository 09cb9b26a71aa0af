#!/usr/bin/env node
// The `atlas` command. Plain JavaScript, so it runs from any directory and from node_modules.
// In the installed package it runs the CLI compiled to JavaScript in dist-cli/ (by `prepack`);
// in a checkout, which has the TypeScript source, tsx (a devDependency) loads scripts/cli.ts.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`atlas needs Node >= 22.12; this is Node ${process.versions.node}.`);
  process.exit(1);
}

const { existsSync } = await import('node:fs');
let cli;
if (existsSync(new URL('./cli.ts', import.meta.url))) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('./cli.ts');
} else {
  cli = await import('../dist-cli/scripts/cli.js');
}
process.exitCode = await cli.main(process.argv.slice(2));
