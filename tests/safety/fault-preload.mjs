// Fault injection for the safety tests, loaded with `node --import`. Counts the file-system calls
// that create, write, rename or remove something under ATLAS_FAULT_ROOT; at call number
// ATLAS_FAULT_AT the process sends itself ATLAS_FAULT_SIGNAL (SIGKILL, SIGINT …) before the call
// runs, or, with ATLAS_FAULT_SIGNAL=throw, the call fails with EIO. With ATLAS_FAULT_COUNT set,
// the number of calls counted is written there at exit. ATLAS_FAULT_MATCH (a regular expression
// tested against "<call> <first argument>") narrows the calls counted.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const root = process.env.ATLAS_FAULT_ROOT;
const at = Number(process.env.ATLAS_FAULT_AT ?? 0);
const signal = process.env.ATLAS_FAULT_SIGNAL ?? 'SIGKILL';
const countFile = process.env.ATLAS_FAULT_COUNT;
const match = process.env.ATLAS_FAULT_MATCH ? new RegExp(process.env.ATLAS_FAULT_MATCH) : undefined;
let count = 0;

const touches = (args) => args.some((a) => typeof a === 'string' && root && a.startsWith(root));

for (const name of ['writeFile', 'rename', 'rm', 'rmdir', 'mkdir', 'mkdtemp', 'copyFile', 'cp']) {
  const original = fs.promises[name];
  fs.promises[name] = function (...args) {
    if (touches(args) && (!match || match.test(`${name} ${args[0]}`))) {
      count++;
      if (count === at) {
        if (signal === 'throw') return Promise.reject(Object.assign(new Error(`injected EIO at ${name} ${args[0]}`), { code: 'EIO' }));
        process.kill(process.pid, signal);
      }
    }
    return original.apply(this, args);
  };
}
syncBuiltinESMExports();

if (countFile) process.on('exit', () => fs.writeFileSync(countFile, String(count)));
