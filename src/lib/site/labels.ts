/** Display names and orderings for the vocabulary the catalog uses. Pure functions, no markup. */
import { LEVELS, STATUSES } from '../sigma/schema.ts';

/** Lists sort the most severe level first; statuses as Sigma lists them, stable first. */
const LEVELS_MOST_SEVERE_FIRST = [...LEVELS].reverse();

function rank(list: readonly string[], value: string | undefined): number {
  const i = value === undefined ? -1 : list.indexOf(value);
  return i === -1 ? list.length : i;
}

export const levelRank = (level?: string) => rank(LEVELS_MOST_SEVERE_FIRST, level);
export const statusRank = (status?: string) => rank(STATUSES, status);

const PLATFORMS: Record<string, string> = {
  windows: 'Windows',
  linux: 'Linux',
  macos: 'macOS',
  'office-365': 'Office 365',
  'azure-ad': 'Azure AD',
  'google-workspace': 'Google Workspace',
  containers: 'Containers',
  iaas: 'IaaS',
  'iaas:aws': 'AWS',
  'iaas:azure': 'Azure',
  'iaas:gcp': 'GCP',
  saas: 'SaaS',
  esxi: 'ESXi',
  'network-devices': 'Network Devices',
};

/** Atomic writes `macos`, ATT&CK writes `macOS`: one key, one label. */
export function platformKey(platform: string): string {
  return platform.trim().toLowerCase().replace(/\s+/g, '-');
}

export function platformLabel(platform: string): string {
  return PLATFORMS[platformKey(platform)] ?? platform;
}

const EXECUTORS: Record<string, string> = {
  command_prompt: 'Command Prompt',
  powershell: 'PowerShell',
  sh: 'sh',
  bash: 'Bash',
  manual: 'Manual',
};

export function executorLabel(executor: string): string {
  return EXECUTORS[executor] ?? executor;
}

/** Language hint for a code block of an executor (CSS class only). */
export function executorLanguage(executor: string): string {
  return executor === 'command_prompt' ? 'batch' : executor === 'powershell' ? 'powershell' : executor === 'manual' ? 'text' : 'shell';
}

export function collectionLabel(collection: string): string {
  const labels: Record<string, string> = {
    rules: 'Rules',
    'emerging-threats': 'Emerging threats',
    'threat-hunting': 'Threat hunting',
    placeholder: 'Placeholder',
    compliance: 'Compliance',
    dfir: 'DFIR',
    deprecated: 'Deprecated',
    unsupported: 'Unsupported',
  };
  return labels[collection] ?? collection;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}

/** Log source as one readable line: `windows / process_creation`. */
export function logsourceLabel(ls: { product?: string; category?: string; service?: string }): string {
  const parts = [ls.product, ls.category, ls.service].filter((p): p is string => !!p);
  return parts.length ? parts.join(' / ') : 'no log source';
}

/** Why a rule is inactive, or undefined when it is active. */
export function inactiveReason(rule: { active: boolean; status?: string; collection: string }): string | undefined {
  if (rule.active) return undefined;
  if (rule.status === 'deprecated' || rule.collection === 'deprecated') return 'deprecated';
  if (rule.status === 'unsupported' || rule.collection === 'unsupported') return 'unsupported';
  return 'inactive';
}

/** `T1049 System Network Connections Discovery`, or the id alone when no name is known. */
export function techniqueTitle(t: { id: string; name: string }): string {
  return t.name && t.name !== t.id ? `${t.id} ${t.name}` : t.id;
}
