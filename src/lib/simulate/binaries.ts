/**
 * Where well-known programs live, so a bare `net` or `curl` in a command becomes the full Image
 * path a process creation event records. Modest on purpose: the programs Atomic tests and
 * Sigma rules name most. A Windows name found nowhere is assumed to be in System32 (where a
 * bare name in a test almost always resolves); Linux names default to /usr/bin.
 */

export type Os = 'windows' | 'linux' | 'macos';

export interface Binary {
  image: string;
  /** PE version-info name (Sysmon's OriginalFileName); Microsoft binaries only. */
  originalFileName?: string;
  /** From the table (true), or a default location guessed from the name (false). */
  known: boolean;
}

const SYSTEM32 = 'C:\\Windows\\System32';

const WINDOWS_DIRS: Record<string, string> = {
  [SYSTEM32]:
    'arp at attrib auditpol bash bcdedit bitsadmin certreq certutil chcp cipher clip cmd cmdkey cmdl32 cmstp comp computerdefaults conhost control cscript dcomcnfg desktopimgdownldr diskpart diskshadow dism dllhost driverquery dsregcmd esentutl eventvwr expand extrac32 fc find findstr finger fltmc fodhelper forfiles fsutil ftp getmac gpresult gpscript gpupdate hostname icacls ipconfig klist logman lsass makecab manage-bde mavinject mmc mode more mountvol msdt msg msiexec mshta msinfo32 mstsc nbtstat net net1 netsh netstat nltest notepad nslookup ntdsutil odbcconf openfiles pcalua pcwrun ping pktmon pnputil print psr qprocess query quser qwinsta rasdial reagentc reg regedt32 regini regsvr32 replace robocopy route rpcping rundll32 runas sc schtasks sdbinst sdclt secedit setspn sfc shutdown sort subst svchost systeminfo takeown tar taskkill tasklist taskmgr tftp timeout tracert tree tscon tsdiscon tskill typeperf verclsid vssadmin w32tm wbadmin wermgr wevtutil where whoami winrs wlrmdr wscript wsl wsmprovhost wuauclt xcopy curl mofcomp',
  'C:\\Windows': 'explorer hh regedit write notepad',
  'C:\\Windows\\System32\\wbem': 'wmic wmiprvse winmgmt scrcons',
  'C:\\Windows\\System32\\WindowsPowerShell\\v1.0': 'powershell powershell_ise',
  'C:\\Windows\\System32\\OpenSSH': 'ssh scp sftp ssh-keygen',
  'C:\\Windows\\System32\\inetsrv': 'appcmd',
  'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319': 'msbuild installutil regasm regsvcs csc vbc jsc aspnet_compiler',
  'C:\\Program Files\\PowerShell\\7': 'pwsh',
};

/** PE names that are not simply `<name>.exe` (case is irrelevant to Sigma, kept for display). */
const ORIGINAL_NAMES: Record<string, string> = {
  cmd: 'Cmd.Exe',
  powershell: 'PowerShell.EXE',
  powershell_ise: 'powershell_ise.EXE',
  pwsh: 'pwsh.dll',
  rundll32: 'RUNDLL32.EXE',
  regsvr32: 'REGSVR32.EXE',
  mshta: 'MSHTA.EXE',
  certutil: 'CertUtil.exe',
  msbuild: 'MSBuild.exe',
  installutil: 'InstallUtil.exe',
  regasm: 'RegAsm.exe',
  regsvcs: 'RegSvcs.exe',
  hh: 'HH.exe',
  cmstp: 'CMSTP.EXE',
  wmiprvse: 'Wmiprvse.exe',
  explorer: 'EXPLORER.EXE',
  conhost: 'CONHOST.EXE',
  regedit: 'REGEDIT.EXE',
  vssadmin: 'VSSADMIN.EXE',
  net1: 'net1.exe',
};

const LINUX_DIRS: Record<string, string> = {
  '/bin': 'sh bash dash',
  '/usr/sbin':
    'useradd usermod userdel groupadd groupdel chpasswd visudo iptables ip6tables iptables-save ufw insmod rmmod modprobe lsmod service shutdown reboot halt poweroff auditctl tcpdump sshd cron atd ifconfig arp setenforce getenforce chroot swapoff dmidecode sysctl setcap getcap ldconfig pwck grpck nft ip',
};

const MACOS_DIRS: Record<string, string> = {
  '/bin': 'bash sh zsh cat cp ls mkdir rm rmdir chmod echo ps launchctl date dd kill ln mv pwd sleep hostname df csh ksh tcsh test expr',
  '/usr/sbin':
    'networksetup system_profiler sysctl chown spctl kextstat dseditgroup sysadminctl screencapture scutil ifconfig arp netstat softwareupdate systemsetup cron lsof diskutil pkgutil dtrace',
  '/usr/bin':
    'curl osascript python3 base64 dscl defaults security sqlite3 openssl whoami id sudo tar zip unzip xattr plutil codesign nohup env find grep awk sed head tail sort uniq cut tr xxd nc ssh scp perl ruby log open pbcopy pbpaste uname who w last crontab at git killall pkill pgrep dscacheutil ditto hdiutil mktemp touch wc chflags file strings swift csrutil kextfind pwpolicy dsenableroot shasum xcode-select',
};

function index(dirs: Record<string, string>): Map<string, string> {
  const map = new Map<string, string>();
  // The first directory listing a name wins, as in PATH order.
  for (const [dir, names] of Object.entries(dirs)) for (const name of names.split(/\s+/)) if (!map.has(name)) map.set(name, dir);
  return map;
}

const WINDOWS = index(WINDOWS_DIRS);
const LINUX = index(LINUX_DIRS);
const MACOS = index(MACOS_DIRS);

/** System32 programs that are .com files (chcp.com, more.com, tree.com, mode.com, format.com). */
const COM_PROGRAMS = new Set(['chcp', 'more', 'tree', 'mode', 'format']);

/** Windows extensions a bare command name may stand for (PATHEXT, the ones tests use). */
const PATHEXT = ['.exe', '.com', '.bat', '.cmd'];

/** The base name, without directory; for Windows also without a PATHEXT extension, lower-cased. */
export function programName(program: string, os: Os): string {
  const base = program.split(os === 'windows' ? /[\\/]/ : /\//).pop() ?? program;
  if (os !== 'windows') return base;
  const lower = base.toLowerCase();
  const ext = PATHEXT.find((e) => lower.endsWith(e));
  return ext ? lower.slice(0, -ext.length) : lower;
}

/** Whether a program word names one of the table's programs (used to spot native commands). */
export function isKnownProgram(program: string, os: Os): boolean {
  const name = programName(program, os);
  return (os === 'windows' ? WINDOWS : os === 'macos' ? MACOS : LINUX).has(name) || (os === 'macos' && LINUX.has(name));
}

/**
 * The executable a bare program name runs. `program` has no directory; Windows names get
 * `.exe` when they carry no extension.
 */
export function locateProgram(program: string, os: Os): Binary {
  const name = programName(program, os);
  if (os === 'windows') {
    const dir = WINDOWS.get(name);
    const lower = program.toLowerCase();
    // A name with another extension (eventvwr.msc, x.vbs) is a document found as named.
    const file =
      PATHEXT.some((e) => lower.endsWith(e)) || /\.(msc|vbs|vbe|js|jse|wsf|hta|cpl|msi|scr|pif|ps1|lnk|url|html?)$/i.test(lower) ? program : `${program}.exe`;
    if (!dir) return { image: `${SYSTEM32}\\${file}`, known: false };
    const exe = `${name}${COM_PROGRAMS.has(name) ? '.com' : '.exe'}`;
    return { image: `${dir}\\${exe}`, originalFileName: ORIGINAL_NAMES[name] ?? exe, known: true };
  }
  const table = os === 'macos' ? MACOS : LINUX;
  const dir = table.get(name) ?? (os === 'macos' ? LINUX.get(name) : undefined);
  return { image: `${dir ?? '/usr/bin'}/${name}`, known: dir !== undefined };
}

/** Version information Sysmon copies from an executable's resources. */
export interface PeMetadata {
  OriginalFileName: string;
  Description?: string;
  Product?: string;
  Company?: string;
}

const MICROSOFT = { Company: 'Microsoft Corporation', Product: 'Microsoft® Windows® Operating System' };

/** FileDescription of system binaries rules name (version resources of Windows 10/11). */
const DESCRIPTIONS: Record<string, string> = {
  cmd: 'Windows Command Processor',
  powershell: 'Windows PowerShell',
  rundll32: 'Windows host process (Rundll32)',
  reg: 'Registry Console Tool',
  regsvr32: 'Microsoft(C) Register Server',
  mshta: 'Microsoft (R) HTML Application host',
  net: 'Net Command',
  net1: 'Net Command',
  schtasks: 'Task Scheduler Configuration Tool',
  certutil: 'CertUtil.exe',
  wmic: 'WMI Commandline Utility',
  sc: 'Service Control Manager Configuration Tool',
};

/**
 * Third-party tools the atomics download (ExternalPayloads), by file name, with the version
 * information of the builds they fetch (the values Sigma's rules for these tools match).
 */
const THIRD_PARTY: Record<string, PeMetadata> = {
  'psexec.exe': {
    OriginalFileName: 'psexec.c',
    Description: 'Execute processes remotely',
    Product: 'Sysinternals PsExec',
    Company: 'Sysinternals - www.sysinternals.com',
  },
  'procdump.exe': {
    OriginalFileName: 'procdump',
    Description: 'Sysinternals process dump utility',
    Product: 'ProcDump',
    Company: 'Sysinternals - www.sysinternals.com',
  },
  'procdump64.exe': {
    OriginalFileName: 'procdump',
    Description: 'Sysinternals process dump utility',
    Product: 'ProcDump',
    Company: 'Sysinternals - www.sysinternals.com',
  },
  'sdelete.exe': {
    OriginalFileName: 'sdelete.exe',
    Description: 'Secure file delete',
    Product: 'Sysinternals Sdelete',
    Company: 'Sysinternals - www.sysinternals.com',
  },
  'accesschk.exe': {
    OriginalFileName: 'accesschk.exe',
    Description: 'Reports effective permissions for securable objects',
    Product: 'Sysinternals AccessChk',
    Company: 'Sysinternals - www.sysinternals.com',
  },
  'rclone.exe': { OriginalFileName: 'rclone.exe', Description: 'Rsync for cloud storage', Product: 'Rclone', Company: 'https://rclone.org' },
  'adfind.exe': { OriginalFileName: 'AdFind.exe', Description: 'Joeware ADFind', Product: 'AdFind', Company: 'Joeware.net' },
  'rubeus.exe': { OriginalFileName: 'Rubeus.exe', Description: 'Rubeus', Product: 'Rubeus' },
  'nircmd.exe': { OriginalFileName: 'NirCmd.exe', Description: 'NirCmd', Company: 'NirSoft' },
  'mimikatz.exe': { OriginalFileName: 'mimikatz.exe', Description: 'mimikatz for Windows', Product: 'mimikatz', Company: 'gentilkiwi (Benjamin DELPY)' },
  '7z.exe': { OriginalFileName: '7z.exe', Description: '7-Zip Console', Product: '7-Zip', Company: 'Igor Pavlov' },
};

/** Version information of an executable by path: system binaries where they live, known tools by name. */
export function peMetadataOf(image: string): PeMetadata | undefined {
  const original = originalFileNameOf(image);
  if (original) {
    const description = DESCRIPTIONS[programName(image, 'windows')];
    return { OriginalFileName: original, ...(description ? { Description: description } : {}), ...MICROSOFT };
  }
  return THIRD_PARTY[(image.split(/[\\/]/).pop() ?? '').toLowerCase()];
}

/** The PE name of a Windows executable given by path, when it is one of the table's. */
function originalFileNameOf(image: string): string | undefined {
  const name = programName(image, 'windows');
  const dir = WINDOWS.get(name);
  if (!dir || !image.toLowerCase().startsWith(dir.toLowerCase() + '\\')) return undefined;
  return ORIGINAL_NAMES[name] ?? `${name}${COM_PROGRAMS.has(name) ? '.com' : '.exe'}`;
}
