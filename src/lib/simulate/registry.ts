/**
 * Registry writes derived from commands (`reg add`, PowerShell `Set-ItemProperty` /
 * `New-ItemProperty`), laid out as Sysmon 13 records them: hive abbreviated (HKLM, HKU\<SID>
 * for the current user), value name appended, Details formatted by type.
 */

/** The lab user's SID: Sysmon writes HKCU as HKU\<SID>. */
export const USER_SID = 'S-1-5-21-3623811015-3361044348-30300820-1001';

const HIVES: [RegExp, string][] = [
  [/^(HKEY_LOCAL_MACHINE|HKLM)(?=\\|$)/i, 'HKLM'],
  [/^(HKEY_CURRENT_USER|HKCU)(?=\\|$)/i, `HKU\\${USER_SID}`],
  [/^(HKEY_USERS|HKU)(?=\\|$)/i, 'HKU'],
  [/^(HKEY_CLASSES_ROOT|HKCR)(?=\\|$)/i, 'HKLM\\SOFTWARE\\Classes'],
  [/^(HKEY_CURRENT_CONFIG|HKCC)(?=\\|$)/i, 'HKLM\\SYSTEM\\CurrentControlSet\\Hardware Profiles\\Current'],
];

/**
 * A key as a command writes it (`HKCU\Software\…`, `HKLM:\…`, `Registry::HKEY_…`) → Sysmon's
 * spelling, or undefined when it is not a registry path.
 */
export function normaliseKey(key: string): string | undefined {
  const k = key
    .trim()
    .replace(/^Microsoft\.PowerShell\.Core\\Registry::/i, '')
    .replace(/^Registry::/i, '')
    .replace(/^(HK[A-Z_]+):\\?/i, '$1\\')
    .replace(/\//g, '\\')
    .replace(/\\+$/, '');
  // HKCU\Software\Classes is the user's classes hive, which Sysmon names HKU\<SID>_Classes.
  const userClasses = /^(HKEY_CURRENT_USER|HKCU)\\Software\\Classes(?=\\|$)/i;
  if (userClasses.test(k)) return k.replace(userClasses, `HKU\\${USER_SID}_Classes`);
  for (const [pattern, hive] of HIVES) if (pattern.test(k)) return k.replace(pattern, hive);
  return undefined;
}

export function targetObject(key: string, valueName: string | undefined): string | undefined {
  const k = normaliseKey(key);
  return k === undefined ? undefined : `${k}\\${valueName === undefined || valueName === '' ? '(Default)' : valueName}`;
}

const hex8 = (n: bigint): string => `0x${n.toString(16).padStart(8, '0')}`;

/** Sysmon's Details text for a value of a given type (REG_SZ when none given). */
export function registryDetails(type: string | undefined, data: string): string {
  const t = (type ?? 'REG_SZ').toUpperCase().replace(/^REG_/, '');
  if (t === 'DWORD' || t === 'QWORD') {
    const n = parseInteger(data);
    if (n === undefined) return data;
    return t === 'DWORD' ? `DWORD (${hex8(BigInt.asUintN(32, n))})` : `QWORD (${hex8(BigInt.asUintN(64, n) >> 32n)}-${hex8(BigInt.asUintN(32, n))})`;
  }
  if (t === 'BINARY' || t === 'NONE') return 'Binary Data';
  return data;
}

function parseInteger(text: string): bigint | undefined {
  const s = text.trim();
  if (/^-?\d+$/.test(s)) return BigInt(s);
  if (/^0x[0-9a-f]+$/i.test(s)) return BigInt(s);
  return undefined;
}

export interface RegistryWrite {
  targetObject: string;
  details: string;
}

/**
 * `reg add <key> [/v name | /ve] [/t type] [/d data] [/f]` (switches with `/` or `-`) → the
 * value it sets; undefined when it only creates a key.
 */
export function parseRegAdd(args: string[]): RegistryWrite | undefined {
  if (args[0]?.toLowerCase() !== 'add' || args[1] === undefined) return undefined;
  let name: string | undefined;
  let type: string | undefined;
  let data = '';
  let setsValue = false;
  for (let i = 2; i < args.length; i++) {
    const sw = args[i]!.toLowerCase().replace(/^-/, '/');
    if (sw === '/v') {
      name = args[++i];
      setsValue = true;
    } else if (sw === '/ve') {
      name = undefined;
      setsValue = true;
    } else if (sw === '/t') type = args[++i];
    else if (sw === '/d') data = args[++i] ?? '';
  }
  if (!setsValue) return undefined;
  const target = targetObject(args[1], name);
  return target === undefined ? undefined : { targetObject: target, details: registryDetails(type, data) };
}

/** PowerShell's registry provider infers DWORD for integers and REG_SZ for strings. */
export function powershellRegistryWrite(
  path: string,
  name: string | undefined,
  value: string,
  valueIsNumber: boolean,
  type: string | undefined,
): RegistryWrite | undefined {
  const target = targetObject(path, name);
  if (target === undefined) return undefined;
  const kind = type ? normalisePowerShellType(type) : valueIsNumber ? 'DWORD' : 'SZ';
  return { targetObject: target, details: registryDetails(kind, value) };
}

function normalisePowerShellType(type: string): string {
  const t = type.toLowerCase();
  if (t === 'dword') return 'DWORD';
  if (t === 'qword') return 'QWORD';
  if (t === 'binary') return 'BINARY';
  if (t === 'expandstring') return 'EXPAND_SZ';
  if (t === 'multistring') return 'MULTI_SZ';
  return 'SZ';
}
