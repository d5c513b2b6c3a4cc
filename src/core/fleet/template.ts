/**
 * Templates of a scenario: `devices/{clientId}/telemetry` in topics and client ids, and JSON payload templates
 * whose strings may hold `{name}` placeholders. A string that is exactly one placeholder takes the value's own
 * type (`"{temp}"` becomes the number 21.5); elsewhere values are written as text. `{{` and `}}` are literal braces.
 */

/** Values of the variables while one message is made; a missing name renders as an empty string. */
export type TemplateValues = (name: string) => unknown;

type Part = string | { variable: string };

/** A compiled string template. */
export interface StringTemplate {
  readonly parts: readonly Part[];
  /** The variable names it uses, in order of appearance. */
  readonly variables: readonly string[];
}

/** A compiled JSON payload template. */
export type ValueTemplate =
  | { kind: 'literal'; value: unknown }
  | { kind: 'string'; template: StringTemplate }
  | { kind: 'variable'; name: string }
  | { kind: 'array'; items: ValueTemplate[] }
  | { kind: 'object'; entries: Array<[string, ValueTemplate]> };

const VARIABLE = /^[A-Za-z_][\w.-]*$/;

/** Compiles `text`; returns a sentence for a placeholder that is not closed or not a name. */
export function compileString(text: string): StringTemplate | { error: string } {
  const parts: Part[] = [];
  const variables: string[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if ((ch === '{' || ch === '}') && text[i + 1] === ch) {
      literal += ch;
      i++;
    } else if (ch === '{') {
      const end = text.indexOf('}', i);
      if (end < 0) return { error: `"{" at character ${i + 1} is not closed; write {{ for a literal brace` };
      const name = text.slice(i + 1, end).trim();
      if (!VARIABLE.test(name)) return { error: `"{${name}}" is not a variable name; write {{ for a literal brace` };
      if (literal) parts.push(literal);
      literal = '';
      parts.push({ variable: name });
      variables.push(name);
      i = end;
    } else if (ch === '}') {
      return { error: `"}" at character ${i + 1} has no "{"; write }} for a literal brace` };
    } else {
      literal += ch;
    }
  }
  if (literal) parts.push(literal);
  return { parts, variables };
}

/** Renders a compiled string template. */
export function renderString(template: StringTemplate, values: TemplateValues): string {
  let out = '';
  for (const part of template.parts) out += typeof part === 'string' ? part : textOf(values(part.variable));
  return out;
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Compiles a JSON payload template; `path` names the place of a problem ("publish[0].payload.temp"). */
export function compileValue(value: unknown, path: string, problems: string[]): ValueTemplate {
  if (typeof value === 'string') {
    const compiled = compileString(value);
    if ('error' in compiled) {
      problems.push(`${path}: ${compiled.error}`);
      return { kind: 'literal', value };
    }
    const only = compiled.parts.length === 1 ? compiled.parts[0] : undefined;
    if (only !== undefined && typeof only !== 'string') return { kind: 'variable', name: only.variable };
    return compiled.variables.length === 0 ? { kind: 'literal', value: renderString(compiled, () => '') } : { kind: 'string', template: compiled };
  }
  if (Array.isArray(value)) return { kind: 'array', items: value.map((item, i) => compileValue(item, `${path}[${i}]`, problems)) };
  if (typeof value === 'object' && value !== null) {
    return { kind: 'object', entries: Object.entries(value).map(([key, item]) => [key, compileValue(item, `${path}.${key}`, problems)]) };
  }
  return { kind: 'literal', value };
}

/** Every variable a payload template uses. */
export function valueVariables(template: ValueTemplate): string[] {
  switch (template.kind) {
    case 'literal':
      return [];
    case 'string':
      return [...template.template.variables];
    case 'variable':
      return [template.name];
    case 'array':
      return template.items.flatMap(valueVariables);
    case 'object':
      return template.entries.flatMap(([, item]) => valueVariables(item));
  }
}

/** Renders a payload template to a JSON-compatible value. */
export function renderValue(template: ValueTemplate, values: TemplateValues): unknown {
  switch (template.kind) {
    case 'literal':
      return template.value;
    case 'string':
      return renderString(template.template, values);
    case 'variable':
      return values(template.name) ?? null;
    case 'array':
      return template.items.map((item) => renderValue(item, values));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, item] of template.entries) out[key] = renderValue(item, values);
      return out;
    }
  }
}
