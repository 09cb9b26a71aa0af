// npm scripts must run on Node >= 22.12 (Astro 7, vitest 5). The `node` devDependency puts
// Node 22 first on PATH inside npm scripts, but only if its install script was allowed to run;
// without it npm silently falls back to the system Node, so fail loudly instead.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Detection Atlas needs Node >= 22.12, but this is Node ${process.versions.node}.\n` +
      'Run it through npm scripts or npx after `npm install` (the `node` devDependency provides Node 22),\n' +
      'and make sure its install script is allowed (package.json "allowScripts").',
  );
  process.exit(1);
}
