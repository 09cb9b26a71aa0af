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
  '/bin':
    'bash sh zsh cat cp ls mkdir rm rmdir chmod echo ps launchctl date dd kill ln mv pwd sleep hostname df csh ksh tcsh test expr',
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
    const file = PATHEXT.some((e) => lower.endsWith(e)) || /\.(msc|vbs|vbe|js|jse|wsf|hta|cpl|msi|scr|pif|ps1|lnk|url|html?)$/i.test(lower) ? program : `${program}.exe`;
    if (!dir) return { image: `${SYSTEM32}\\${file}`, known: false };
    const exe = `${name}.exe`;
    return { image: `${dir}\\${exe}`, originalFileName: ORIGINAL_NAMES[name] ?? exe, known: true };
  }
  const table = os === 'macos' ? MACOS : LINUX;
  const dir = table.get(name) ?? (os === 'macos' ? LINUX.get(name) : undefined);
  return { image: `${dir ?? '/usr/bin'}/${name}`, known: dir !== undefined };
}

/** The PE name of a Windows executable given by path, when it is one of the table's. */
export function originalFileNameOf(image: string): string | undefined {
  const name = programName(image, 'windows');
  const dir = WINDOWS.get(name);
  if (!dir || !image.toLowerCase().startsWith(dir.toLowerCase() + '\\')) return undefined;
  return ORIGINAL_NAMES[name] ?? `${name}.exe`;
}
