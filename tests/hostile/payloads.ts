/**
 * Markup, script and link payloads for every text field of the hostile corpus. Each one carries
 * the marker `pwn`, so a test can tell a payload that reached the output from the site's own text.
 */
export const MARK = 'pwn';

export const PAYLOADS = {
  script: `<script>alert("pwn-script")</script>`,
  img: `"><img src=x onerror=alert('pwn-img')>`,
  single: `' onmouseover='alert("pwn-single")' x='`,
  double: `" onfocus="alert('pwn-double')" autofocus x="`,
  closeScript: `</script><script>alert('pwn-close')</script>`,
  svg: `<!-- --><svg onload=alert('pwn-svg')>`,
  style: `<style>body{background:url("javascript:alert('pwn-style')")}</style>`,
  iframe: `<iframe srcdoc="<script>alert('pwn-iframe')</script>"></iframe>`,
  template: `{{constructor.constructor('alert("pwn-template")')()}} \${alert('pwn-template')}`,
  separators: `pwn-sep \u2028 \u2029`,
} as const;

/** All payloads in one string: what a text field of the hostile corpus holds. */
export const ALL = Object.values(PAYLOADS).join(' ');

export const JS_URL = `javascript:alert('pwn-js')`;
export const JS_URL_CASED = `JaVaScRiPt:alert('pwn-js2')`;
export const JS_URL_SPACED = ` \tjavascript:alert('pwn-js3')`;
export const DATA_URL = `data:text/html;base64,PHNjcmlwdD5hbGVydCgncHduLWRhdGEnKTwvc2NyaXB0Pg==`;
export const VBS_URL = `vbscript:msgbox("pwn-vbs")`;
export const BAD_URLS = [JS_URL, JS_URL_CASED, JS_URL_SPACED, DATA_URL, VBS_URL, `https://example.org/" onmouseover="alert('pwn-href')`];

/** Markdown with raw HTML and dangerous links (descriptions are rendered as markdown). */
export const MARKDOWN = [
  `Plain **bold** text ${MARK}-md.`,
  '',
  `[click me](${JS_URL}) [data](${DATA_URL}) [vb](${VBS_URL}) <${JS_URL}>`,
  '',
  `<a href="${JS_URL}">raw link</a> <img src="x" onerror="alert('pwn-mdimg')">`,
  '',
  `![image](${JS_URL}) <details open ontoggle=alert('pwn-toggle')>x</details>`,
  '',
  PAYLOADS.script,
  '',
  `(Citation: ${PAYLOADS.img})`,
].join('\n');
