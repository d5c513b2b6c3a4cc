import { basename, dirname, join } from 'node:path';

/** The scenario's name: its file name without `.mqttsim.json` (or `.json`). */
export function scenarioName(file: string): string {
  return basename(file).replace(/\.mqttsim\.json$/i, '').replace(/\.json$/i, '');
}

/** `<name>.report-20250102-030405` next to the scenario, as .md and .json paths (UTC time). */
export function reportPaths(scenarioFile: string, at: Date): { markdown: string; json: string } {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const base = join(dirname(scenarioFile), `${scenarioName(scenarioFile)}.report-${stamp}`);
  return { markdown: `${base}.md`, json: `${base}.json` };
}

/** The .json path beside a chosen Markdown report path (`--report out.md` also writes out.json). */
export function jsonBeside(markdownPath: string): string {
  return markdownPath.replace(/\.md$/i, '') + '.json';
}
