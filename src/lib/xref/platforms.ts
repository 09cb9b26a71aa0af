/**
 * Which Atomic test platforms a Sigma rule's log source can see. Written once here; the
 * confidence tiers use it to keep technique-level links (a shared tag, a technique-page
 * reference) between a rule and a test of a platform its logs never show out of coverage.
 *
 * Vocabularies, as used in ../shared/corpus:
 * - Sigma `logsource.product` (SigmaHQ taxonomy, appendix "Log sources"): windows 3,082 files,
 *   linux 258, azure 139, macos 77, aws 66, zeek 26, gcp 26, opencanary 24, okta 24, m365 21,
 *   rpc_firewall 17, cisco 17, kubernetes 16, github 15, bitbucket 14, fortigate 7, jvm 5,
 *   spring, qualys, paloalto, onelogin 2 each, and one each of velocity, sql, ruby_on_rails,
 *   python, nodejs, modsecurity, juniper, huawei, fortios, dns, django; 180 rules have no product
 *   (category webserver, proxy, dns, antivirus, firewall, authentication, database).
 *   Cloud products are split by `service`: azure auditlogs/signinlogs/riskdetection/pim (Entra ID)
 *   vs activitylogs (Azure resource manager); gcp gcp.audit vs google_workspace.admin/login.
 * - Atomic `supported_platforms` (atomic-red-team's schema): windows 1,225 tests, linux 410,
 *   macos 252, iaas:aws 25, containers 19, azure-ad 18, iaas:azure 15, office-365 7, iaas:gcp 6,
 *   google-workspace 1; the schema also allows esxi, saas, iaas; `network-devices` is ATT&CK's
 *   platform name for routers and firewalls (no Atomic test uses it yet).
 */

/** A Sigma log source: only product and service decide the platform. */
export type RuleLogSource = { product?: string; category?: string; service?: string };

/** Atomic platform keys as the catalog writes them (lower case, trimmed). */
export type AtomicPlatform = string;

/** Every host platform: what network, proxy, web server or application logs can see. */
const HOSTS: readonly AtomicPlatform[] = ['windows', 'linux', 'macos', 'containers', 'esxi'];

/** By product; `services` refines a product whose services watch different platforms. */
const PRODUCTS: Record<string, { platforms: readonly AtomicPlatform[]; services?: Record<string, readonly AtomicPlatform[]> }> = {
  windows: { platforms: ['windows'] },
  // Linux telemetry (auditd, Sysmon for Linux) sees the processes of the host's containers too.
  linux: { platforms: ['linux', 'containers'] },
  macos: { platforms: ['macos'] },
  // RPC Firewall is a Windows component.
  rpc_firewall: { platforms: ['windows'] },
  azure: {
    platforms: ['azure-ad', 'iaas:azure', 'iaas'],
    services: {
      auditlogs: ['azure-ad'],
      signinlogs: ['azure-ad'],
      riskdetection: ['azure-ad'],
      pim: ['azure-ad'],
      activitylogs: ['iaas:azure', 'iaas'],
    },
  },
  // The Microsoft 365 unified audit log also records Entra ID (Azure AD) administration.
  m365: { platforms: ['office-365', 'azure-ad'] },
  aws: { platforms: ['iaas:aws', 'iaas'] },
  gcp: {
    platforms: ['iaas:gcp', 'iaas', 'google-workspace'],
    services: {
      'gcp.audit': ['iaas:gcp', 'iaas'],
      'google_workspace.admin': ['google-workspace'],
      'google_workspace.login': ['google-workspace'],
    },
  },
  google_workspace: { platforms: ['google-workspace'] },
  okta: { platforms: ['saas'] },
  onelogin: { platforms: ['saas'] },
  github: { platforms: ['saas'] },
  bitbucket: { platforms: ['saas'] },
  kubernetes: { platforms: ['containers'] },
  // The devices' own logs (AAA command accounting, BGP, configuration events, VPN logins) show what
  // is done on the device, not on the hosts behind it. Cisco Duo is an MFA service.
  cisco: { platforms: ['network-devices'], services: { duo: ['saas'] } },
  juniper: { platforms: ['network-devices'] },
  huawei: { platforms: ['network-devices'] },
  fortigate: { platforms: ['network-devices'] },
  fortios: { platforms: ['network-devices'] },
  paloalto: { platforms: ['network-devices'] },
};

/**
 * The Atomic platforms a log source can see, or `undefined` when it is not tied to one
 * (no product, network sensors such as Zeek, proxies, web servers, applications): such rules are
 * linked on every platform, since the traffic or application they watch may come from any host.
 */
export function ruleSeesPlatforms(logsource: RuleLogSource): readonly AtomicPlatform[] | undefined {
  const product = logsource.product?.trim().toLowerCase();
  if (!product) return undefined;
  const entry = PRODUCTS[product];
  if (!entry) return HOSTS.includes(product) ? [product] : undefined;
  const service = logsource.service?.trim().toLowerCase();
  return (service && entry.services?.[service]) || entry.platforms;
}

/** Atomic writes `windows`, `Windows ` and `iaas:aws`: one key each. */
export function platformOf(value: string): AtomicPlatform {
  return value.trim().toLowerCase();
}

/** Whether a rule seeing `sees` (from ruleSeesPlatforms) sees a test on any of these platform keys. */
export function seesAny(sees: readonly AtomicPlatform[] | undefined, testPlatforms: readonly AtomicPlatform[]): boolean {
  return !sees || testPlatforms.length === 0 || testPlatforms.some((p) => sees.includes(p));
}
