/**
 * Sigma log sources → the concrete events behind them. A rule names an abstract source
 * (product / category / service); analysts need to know which event ids to collect, and the
 * static evaluator needs to know which sources it can synthesise from a command line.
 * The mapping follows the Sigma taxonomy appendix and pySigma's Sysmon/Windows pipelines.
 */

/** A rule's `logsource` block. */
export interface LogSource {
  product?: string;
  category?: string;
  service?: string;
  definition?: string;
}

export interface LogEvent {
  /** Event id (Windows, Sysmon) or record type (auditd `EXECVE`). */
  id: number | string;
  /** Who writes it: an ETW provider, a log channel or a product. */
  provider: string;
  title: string;
}

export interface LogSourceEntry {
  product?: string;
  category?: string;
  service?: string;
  events: LogEvent[];
  /** True when the evaluator derives events of this source from Atomic commands. */
  synthesised: boolean;
  /** How (or why not) the evaluator derives it. */
  note?: string;
}

const SYSMON = 'Microsoft-Windows-Sysmon';
const SECURITY = 'Microsoft-Windows-Security-Auditing';
const PS = 'Microsoft-Windows-PowerShell';
const PS_CLASSIC = 'PowerShell (Windows PowerShell log)';
const LINUX_SYSMON = 'Linux-Sysmon';
const AUDITD = 'Linux Audit (auditd)';
const ESF = 'Apple Endpoint Security';

const sysmon = (id: number, title: string): LogEvent => ({ id, provider: SYSMON, title });
const ps = (id: number, title: string): LogEvent => ({ id, provider: PS, title });

const NOT_FROM_COMMANDS = 'Not derivable from a command line: needs the program to actually run.';

/** Sorted by product, then category/service, as a reader scans it. */
const LOG_SOURCES: readonly LogSourceEntry[] = [
  // Windows, Sysmon-backed categories
  {
    product: 'windows',
    category: 'process_creation',
    synthesised: true,
    events: [sysmon(1, 'Process creation'), { id: 4688, provider: SECURITY, title: 'A new process has been created' }],
    note: 'From every program a command starts (Invoke-AtomicRedTeam harness, cmd, PowerShell and their children).',
  },
  {
    product: 'windows',
    category: 'registry_set',
    synthesised: true,
    events: [sysmon(13, 'Registry value set')],
    note: 'From `reg add … /v … /d …` and PowerShell `Set-ItemProperty`/`New-ItemProperty`.',
  },
  {
    product: 'windows',
    category: 'registry_add',
    synthesised: false,
    events: [sysmon(12, 'Registry object added or deleted')],
    note: 'Whether a key is new depends on the machine.',
  },
  {
    product: 'windows',
    category: 'registry_delete',
    synthesised: false,
    events: [sysmon(12, 'Registry object added or deleted')],
    note: 'Whether the key existed depends on the machine.',
  },
  { product: 'windows', category: 'registry_rename', synthesised: false, events: [sysmon(14, 'Registry object renamed')] },
  {
    product: 'windows',
    category: 'registry_event',
    synthesised: true,
    events: [sysmon(12, 'Registry object added or deleted'), sysmon(13, 'Registry value set'), sysmon(14, 'Registry object renamed')],
    note: 'Covers registry_add/delete/set/rename; only value sets are synthesised.',
  },
  { product: 'windows', category: 'file_event', synthesised: false, events: [sysmon(11, 'File created')], note: NOT_FROM_COMMANDS },
  {
    product: 'windows',
    category: 'file_delete',
    synthesised: false,
    events: [sysmon(23, 'File delete archived'), sysmon(26, 'File delete logged')],
    note: NOT_FROM_COMMANDS,
  },
  { product: 'windows', category: 'file_change', synthesised: false, events: [sysmon(2, 'A process changed a file creation time')], note: NOT_FROM_COMMANDS },
  {
    product: 'windows',
    category: 'file_access',
    synthesised: false,
    events: [{ id: 12, provider: 'Microsoft-Windows-Kernel-File', title: 'Create (file opened)' }],
    note: NOT_FROM_COMMANDS,
  },
  {
    product: 'windows',
    category: 'file_rename',
    synthesised: false,
    events: [{ id: 27, provider: 'Microsoft-Windows-Kernel-File', title: 'Rename' }],
    note: NOT_FROM_COMMANDS,
  },
  { product: 'windows', category: 'file_executable_detected', synthesised: false, events: [sysmon(29, 'File executable detected')] },
  {
    product: 'windows',
    category: 'image_load',
    synthesised: false,
    events: [sysmon(7, 'Image loaded')],
    note: 'Which DLLs a program loads is not visible in its command line.',
  },
  { product: 'windows', category: 'network_connection', synthesised: false, events: [sysmon(3, 'Network connection detected')], note: NOT_FROM_COMMANDS },
  { product: 'windows', category: 'dns_query', synthesised: false, events: [sysmon(22, 'DNS query')], note: NOT_FROM_COMMANDS },
  { product: 'windows', category: 'process_access', synthesised: false, events: [sysmon(10, 'Process accessed')], note: NOT_FROM_COMMANDS },
  { product: 'windows', category: 'driver_load', synthesised: false, events: [sysmon(6, 'Driver loaded')], note: NOT_FROM_COMMANDS },
  {
    product: 'windows',
    category: 'pipe_created',
    synthesised: false,
    events: [sysmon(17, 'Pipe created'), sysmon(18, 'Pipe connected')],
    note: NOT_FROM_COMMANDS,
  },
  { product: 'windows', category: 'create_remote_thread', synthesised: false, events: [sysmon(8, 'CreateRemoteThread detected')], note: NOT_FROM_COMMANDS },
  { product: 'windows', category: 'create_stream_hash', synthesised: false, events: [sysmon(15, 'File stream created')], note: NOT_FROM_COMMANDS },
  { product: 'windows', category: 'raw_access_thread', synthesised: false, events: [sysmon(9, 'RawAccessRead detected')] },
  { product: 'windows', category: 'process_tampering', synthesised: false, events: [sysmon(25, 'Process image change')] },
  {
    product: 'windows',
    category: 'wmi_event',
    synthesised: false,
    events: [sysmon(19, 'WmiEventFilter activity'), sysmon(20, 'WmiEventConsumer activity'), sysmon(21, 'WmiEventConsumerToFilter activity')],
  },
  { product: 'windows', category: 'clipboard_capture', synthesised: false, events: [sysmon(24, 'Clipboard changed')] },
  {
    product: 'windows',
    category: 'sysmon_status',
    synthesised: false,
    events: [sysmon(4, 'Sysmon service state changed'), sysmon(16, 'Sysmon config state changed')],
  },
  { product: 'windows', category: 'sysmon_error', synthesised: false, events: [sysmon(255, 'Error')] },
  // Windows, PowerShell logging
  {
    product: 'windows',
    category: 'ps_script',
    synthesised: true,
    events: [ps(4104, 'Creating Scriptblock text (script block logging)')],
    note: 'The script block a `powershell` test runs, and scripts passed to nested `powershell -c/-enc`.',
  },
  {
    product: 'windows',
    category: 'ps_module',
    synthesised: true,
    events: [ps(4103, 'Executing pipeline (module logging)')],
    note: 'One event per cmdlet a PowerShell script block invokes (Payload reconstructed from the parsed command).',
  },
  {
    product: 'windows',
    category: 'ps_classic_start',
    synthesised: true,
    events: [{ id: 400, provider: PS_CLASSIC, title: 'Engine state is changed from None to Available' }],
    note: 'Each powershell.exe started.',
  },
  { product: 'windows', category: 'ps_classic_provider_start', synthesised: false, events: [{ id: 600, provider: PS_CLASSIC, title: 'Provider is started' }] },
  { product: 'windows', category: 'ps_classic_script', synthesised: false, events: [{ id: 800, provider: PS_CLASSIC, title: 'Pipeline execution details' }] },
  // Windows, whole event logs (services)
  {
    product: 'windows',
    service: 'security',
    synthesised: false,
    events: [
      { id: 4624, provider: SECURITY, title: 'An account was successfully logged on' },
      { id: 4688, provider: SECURITY, title: 'A new process has been created' },
      { id: 4697, provider: SECURITY, title: 'A service was installed in the system' },
      { id: 4698, provider: SECURITY, title: 'A scheduled task was created' },
      { id: 4720, provider: SECURITY, title: 'A user account was created' },
      { id: 5145, provider: SECURITY, title: 'A network share object was checked' },
    ],
  },
  {
    product: 'windows',
    service: 'system',
    synthesised: false,
    events: [
      { id: 7045, provider: 'Service Control Manager', title: 'A service was installed in the system' },
      { id: 104, provider: 'Microsoft-Windows-Eventlog', title: 'The log file was cleared' },
    ],
  },
  { product: 'windows', service: 'application', synthesised: false, events: [{ id: '*', provider: 'Application log', title: 'Any application event' }] },
  {
    product: 'windows',
    service: 'sysmon',
    synthesised: true,
    events: [sysmon(1, 'Process creation'), sysmon(13, 'Registry value set')],
    note: 'The Sysmon channel; only process creation and registry value sets are synthesised.',
  },
  { product: 'windows', service: 'powershell', synthesised: true, events: [ps(4103, 'Executing pipeline'), ps(4104, 'Creating Scriptblock text')] },
  {
    product: 'windows',
    service: 'powershell-classic',
    synthesised: true,
    events: [
      { id: 400, provider: PS_CLASSIC, title: 'Engine state is changed from None to Available' },
      { id: 600, provider: PS_CLASSIC, title: 'Provider is started' },
      { id: 800, provider: PS_CLASSIC, title: 'Pipeline execution details' },
    ],
  },
  {
    product: 'windows',
    service: 'windefend',
    synthesised: false,
    events: [
      { id: 1116, provider: 'Microsoft-Windows-Windows Defender', title: 'Malware detected' },
      { id: 5001, provider: 'Microsoft-Windows-Windows Defender', title: 'Real-time protection disabled' },
      { id: 5007, provider: 'Microsoft-Windows-Windows Defender', title: 'Configuration changed' },
    ],
  },
  {
    product: 'windows',
    service: 'taskscheduler',
    synthesised: false,
    events: [
      { id: 106, provider: 'Microsoft-Windows-TaskScheduler', title: 'Task registered' },
      { id: 129, provider: 'Microsoft-Windows-TaskScheduler', title: 'Task process created' },
      { id: 141, provider: 'Microsoft-Windows-TaskScheduler', title: 'Task deleted' },
    ],
  },
  {
    product: 'windows',
    service: 'bits-client',
    synthesised: false,
    events: [
      { id: 3, provider: 'Microsoft-Windows-Bits-Client', title: 'BITS job created' },
      { id: 16403, provider: 'Microsoft-Windows-Bits-Client', title: 'BITS job transfer' },
      { id: 59, provider: 'Microsoft-Windows-Bits-Client', title: 'BITS transfer started' },
    ],
  },
  {
    product: 'windows',
    service: 'dns-client',
    synthesised: false,
    events: [{ id: 3008, provider: 'Microsoft-Windows-DNS-Client', title: 'DNS query completed' }],
  },
  {
    product: 'windows',
    service: 'codeintegrity-operational',
    synthesised: false,
    events: [
      { id: 3033, provider: 'Microsoft-Windows-CodeIntegrity', title: 'Image did not meet signing level' },
      { id: 3077, provider: 'Microsoft-Windows-CodeIntegrity', title: 'Code Integrity policy blocked a file' },
    ],
  },
  {
    product: 'windows',
    service: 'firewall-as',
    synthesised: false,
    events: [
      { id: 2004, provider: 'Microsoft-Windows-Windows Firewall With Advanced Security', title: 'Firewall rule added' },
      { id: 2006, provider: 'Microsoft-Windows-Windows Firewall With Advanced Security', title: 'Firewall rule deleted' },
    ],
  },
  {
    product: 'windows',
    service: 'appxdeployment-server',
    synthesised: false,
    events: [{ id: 400, provider: 'Microsoft-Windows-AppXDeploymentServer', title: 'Package deployment' }],
  },
  {
    product: 'windows',
    service: 'msexchange-management',
    synthesised: false,
    events: [{ id: 1, provider: 'MSExchange Management', title: 'Cmdlet executed' }],
  },
  {
    product: 'windows',
    service: 'wmi',
    synthesised: false,
    events: [{ id: 5861, provider: 'Microsoft-Windows-WMI-Activity', title: 'Permanent event consumer registered' }],
  },
  {
    product: 'windows',
    service: 'ntlm',
    synthesised: false,
    events: [{ id: 8001, provider: 'Microsoft-Windows-NTLM', title: 'Outgoing NTLM authentication' }],
  },
  { product: 'windows', service: 'applocker', synthesised: false, events: [{ id: 8004, provider: 'Microsoft-Windows-AppLocker', title: 'Execution blocked' }] },
  // Linux
  {
    product: 'linux',
    category: 'process_creation',
    synthesised: true,
    events: [
      { id: 1, provider: LINUX_SYSMON, title: 'Process creation' },
      { id: 'EXECVE', provider: AUDITD, title: 'execve arguments' },
    ],
    note: 'From every program the shell command starts (resolved against /usr/bin, /bin …).',
  },
  {
    product: 'linux',
    category: 'file_event',
    synthesised: false,
    events: [{ id: 11, provider: LINUX_SYSMON, title: 'File created' }],
    note: NOT_FROM_COMMANDS,
  },
  {
    product: 'linux',
    category: 'file_delete',
    synthesised: false,
    events: [{ id: 23, provider: LINUX_SYSMON, title: 'File delete' }],
    note: NOT_FROM_COMMANDS,
  },
  {
    product: 'linux',
    category: 'network_connection',
    synthesised: false,
    events: [{ id: 3, provider: LINUX_SYSMON, title: 'Network connection' }],
    note: NOT_FROM_COMMANDS,
  },
  {
    product: 'linux',
    service: 'auditd',
    synthesised: true,
    events: [
      { id: 'EXECVE', provider: AUDITD, title: 'execve arguments (a0, a1 …)' },
      { id: 'SYSCALL', provider: AUDITD, title: 'System call' },
      { id: 'PATH', provider: AUDITD, title: 'Path accessed' },
    ],
    note: 'Only EXECVE records (argv of each program started) are synthesised.',
  },
  { product: 'linux', service: 'syslog', synthesised: false, events: [{ id: 'syslog', provider: 'syslog', title: 'Syslog message' }] },
  { product: 'linux', service: 'sshd', synthesised: false, events: [{ id: 'sshd', provider: 'sshd (auth log)', title: 'SSH daemon message' }] },
  { product: 'linux', service: 'auth', synthesised: false, events: [{ id: 'auth', provider: 'auth.log', title: 'Authentication message' }] },
  { product: 'linux', service: 'sudo', synthesised: false, events: [{ id: 'sudo', provider: 'sudo (auth log)', title: 'sudo message' }] },
  { product: 'linux', service: 'cron', synthesised: false, events: [{ id: 'cron', provider: 'cron (syslog)', title: 'cron message' }] },
  // macOS
  {
    product: 'macos',
    category: 'process_creation',
    synthesised: true,
    events: [{ id: 'ES_EVENT_TYPE_NOTIFY_EXEC', provider: ESF, title: 'Process exec' }],
    note: 'From every program the shell command starts (resolved against /bin, /usr/bin …).',
  },
  {
    product: 'macos',
    category: 'file_event',
    synthesised: false,
    events: [{ id: 'ES_EVENT_TYPE_NOTIFY_CREATE', provider: ESF, title: 'File created' }],
    note: NOT_FROM_COMMANDS,
  },
  // Cloud and network sources: listed for display, never synthesised from host commands.
  {
    product: 'aws',
    service: 'cloudtrail',
    synthesised: false,
    events: [{ id: 'CloudTrail', provider: 'AWS CloudTrail', title: 'API call record (eventSource, eventName)' }],
  },
  { product: 'azure', service: 'activitylogs', synthesised: false, events: [{ id: 'AzureActivity', provider: 'Azure Monitor', title: 'Activity log record' }] },
  {
    product: 'azure',
    service: 'auditlogs',
    synthesised: false,
    events: [{ id: 'AuditLogs', provider: 'Microsoft Entra ID', title: 'Directory audit record' }],
  },
  { product: 'azure', service: 'signinlogs', synthesised: false, events: [{ id: 'SigninLogs', provider: 'Microsoft Entra ID', title: 'Sign-in record' }] },
  { product: 'gcp', service: 'gcp.audit', synthesised: false, events: [{ id: 'cloudaudit', provider: 'Google Cloud Audit Logs', title: 'Audit log entry' }] },
  { product: 'okta', service: 'okta', synthesised: false, events: [{ id: 'SystemLog', provider: 'Okta', title: 'System log event' }] },
  {
    category: 'webserver',
    synthesised: false,
    events: [{ id: 'access', provider: 'Web server access log', title: 'Request (cs-method, cs-uri-query, c-useragent …)' }],
  },
  { category: 'proxy', synthesised: false, events: [{ id: 'access', provider: 'Proxy log', title: 'Request (c-uri, cs-host, c-useragent …)' }] },
  { category: 'dns', synthesised: false, events: [{ id: 'query', provider: 'DNS server log', title: 'Query (query, answer, record_type)' }] },
  { category: 'firewall', synthesised: false, events: [{ id: 'connection', provider: 'Firewall log', title: 'Connection (src_ip, dst_ip, dst_port)' }] },
  { category: 'antivirus', synthesised: false, events: [{ id: 'detection', provider: 'Antivirus', title: 'Detection (Signature, Filename)' }] },
];

/**
 * A category that stands for several others: pySigma maps `registry_event` to Sysmon 12–14,
 * so an event of any of these categories is also a `registry_event`.
 */
const UMBRELLA_CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  registry_event: ['registry_add', 'registry_delete', 'registry_set', 'registry_rename'],
};

const norm = (s: string | undefined): string | undefined => (s === undefined || s === '' ? undefined : s.toLowerCase());

/** The table entry describing exactly this source (product/category/service as given), if any. */
export function findLogSource(logsource: LogSource): LogSourceEntry | undefined {
  const product = norm(logsource.product);
  const category = norm(logsource.category);
  const service = norm(logsource.service);
  const exact = LOG_SOURCES.find((e) => e.product === product && e.category === category && e.service === service);
  if (exact || category === undefined || service !== undefined) return exact;
  // Generic categories (webserver, proxy …) are listed without product; a rule may add one.
  return LOG_SOURCES.find((e) => e.product === undefined && e.category === category);
}

/**
 * Whether a rule's log source applies to an event's: every field the rule names must equal the
 * event's (case-insensitive); fields the rule leaves out match anything. An umbrella category
 * (registry_event) also accepts the categories it covers.
 */
export function logSourceApplies(rule: LogSource, event: LogSource): boolean {
  const fieldMatches = (r: string | undefined, e: string | undefined) => r === undefined || r === e;
  const ruleCategory = norm(rule.category);
  const eventCategory = norm(event.category);
  const categoryOk =
    fieldMatches(ruleCategory, eventCategory) ||
    (ruleCategory !== undefined && eventCategory !== undefined && (UMBRELLA_CATEGORIES[ruleCategory]?.includes(eventCategory) ?? false));
  return fieldMatches(norm(rule.product), norm(event.product)) && fieldMatches(norm(rule.service), norm(event.service)) && categoryOk;
}
