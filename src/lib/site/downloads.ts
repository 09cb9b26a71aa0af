/** The files a reader can download: the JSON API and the exports, with what each one is for. */
import { EXPORT_FILES } from '../exports/write.ts';
import { urls } from './urls.ts';

export interface Download {
  title: string;
  href: string;
  description: string;
}

const api = urls.apiFile;

export function downloads(hasChanges: boolean): { group: string; files: Download[] }[] {
  return [
    {
      group: 'ATT&CK Navigator layers',
      files: [
        {
          title: 'Rule coverage',
          href: api(EXPORT_FILES.navigatorRules),
          description: 'Score = active rules tagged with each technique. Open in ATT&CK Navigator: Open Existing Layer → Upload from local.',
        },
        {
          title: 'Predicted coverage of Atomic tests',
          href: api(EXPORT_FILES.navigatorTests),
          description: 'Score = Atomic tests of each technique with a predicted detection (static evaluation, not observed).',
        },
      ],
    },
    {
      group: 'Exports',
      files: [
        {
          title: 'Rules as CSV',
          href: api(EXPORT_FILES.rulesCsv),
          description: 'One row per rule: id, title, status, level, log source, techniques, tactics, tests, path.',
        },
        { title: 'The whole catalog (gzip JSON)', href: api(EXPORT_FILES.catalog), description: 'Everything this site is built from, in one file.' },
        ...(hasChanges
          ? [
              {
                title: 'Change list',
                href: api(EXPORT_FILES.changes),
                description: 'Rules and tests added, modified, deprecated and removed since the previous build.',
              },
              { title: 'Atom feed of changes', href: api(EXPORT_FILES.feed), description: 'Subscribe in a feed reader.' },
            ]
          : []),
      ],
    },
    {
      group: 'JSON API',
      files: [
        { title: 'rules.json', href: api('rules.json'), description: 'One entry per rule; api/rules/<slug>.json has everything about one rule.' },
        { title: 'techniques.json', href: api('techniques.json'), description: 'Techniques with their rules, tests, tactics, parent and sub-techniques.' },
        {
          title: 'tests.json',
          href: api('tests.json'),
          description: 'Atomic tests with the rules referencing them and predicted to fire; api/tests/<guid>.json has the commands and explanations.',
        },
        { title: 'indicators.json', href: api('indicators.json'), description: 'Every distinct (field, operator, value) with its corpus count.' },
        { title: 'tactics.json', href: api('tactics.json'), description: 'Tactics in matrix order.' },
        { title: 'diagnostics.json', href: api('diagnostics.json'), description: 'Problems found in the inputs, with file, line and column.' },
      ],
    },
  ];
}
