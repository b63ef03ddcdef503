import type { FieldProblem, Placeholder, Template, TemplateButton, TemplateIn, TemplateVariable } from '@/lib/api-types';
import { nextVariableIndex, variableIndexes } from '@/lib/template-text';

export function emptyDraft(language: string): TemplateIn {
  return {
    name: '',
    language,
    category: 'UTILITY',
    header_text: null,
    body: '',
    footer: null,
    buttons: [],
    body_variables: [],
    header_variable: null,
  };
}

export function toDraft(template: Template): TemplateIn {
  return {
    name: template.name,
    language: template.language,
    category: template.category,
    header_text: template.header_text,
    body: template.body,
    footer: template.footer,
    buttons: template.buttons.map((button) => ({ ...button })),
    body_variables: template.body_variables.map((variable) => ({ ...variable })),
    header_variable: template.header_variable ? { ...template.header_variable } : null,
  };
}

/** Empty optional texts go out as null, as the API expects. */
export function normalise(draft: TemplateIn): TemplateIn {
  const blank = (value: string | null) => (value && value.trim() ? value : null);
  return {
    ...draft,
    name: draft.name.trim(),
    header_text: blank(draft.header_text),
    footer: blank(draft.footer),
    header_variable: blank(draft.header_text) ? draft.header_variable : null,
  };
}

/**
 * Keeps the variable mappings in step with the text: one row per {{n}} in the
 * body (mapping kept when the number stays, a blank row for one typed by hand),
 * sorted by number; the header has at most its {{1}}.
 */
export function syncVariables(draft: TemplateIn): TemplateIn {
  const known = new Map(draft.body_variables.map((variable) => [variable.index, variable]));
  const body_variables: TemplateVariable[] = variableIndexes(draft.body)
    .sort((a, b) => a - b)
    .map((index) => known.get(index) ?? { index, placeholder: '', example: '' });
  const headerIndexes = variableIndexes(draft.header_text);
  const header_variable =
    headerIndexes.length > 0
      ? (draft.header_variable ?? { index: headerIndexes[0]!, placeholder: '', example: '' })
      : null;
  return { ...draft, body_variables, header_variable };
}

/**
 * Inserts the next variable {{n}} into the body at `at` (a caret position;
 * default the end) and maps it to the placeholder, with its example.
 */
export function insertBodyVariable(draft: TemplateIn, placeholder: Placeholder, at?: number): TemplateIn {
  const index = nextVariableIndex(draft.body);
  const token = `{{${index}}}`;
  const position = at === undefined ? draft.body.length : Math.max(0, Math.min(at, draft.body.length));
  const before = draft.body.slice(0, position);
  const after = draft.body.slice(position);
  const spaceBefore = before && !/\s$/.test(before) ? ' ' : '';
  const body = `${before}${spaceBefore}${token}${after}`;
  const variable: TemplateVariable = { index, placeholder: placeholder.key, example: placeholder.example };
  return syncVariables({
    ...draft,
    body,
    body_variables: [...draft.body_variables.filter((item) => item.index !== index), variable],
  });
}

/** The header takes one variable, {{1}}, appended to its text. */
export function insertHeaderVariable(draft: TemplateIn, placeholder: Placeholder): TemplateIn {
  if (variableIndexes(draft.header_text).length > 0) return draft;
  const text = draft.header_text ?? '';
  const header_text = `${text}${text && !/\s$/.test(text) ? ' ' : ''}{{1}}`;
  return { ...draft, header_text, header_variable: { index: 1, placeholder: placeholder.key, example: placeholder.example } };
}

export function newButton(kind: TemplateButton['kind']): TemplateButton {
  return { kind, text: '', url: kind === 'url' ? '' : null, phone_number: kind === 'phone_number' ? '' : null, example: null };
}

/** Field names the editor shows problems next to; "buttons[1].url" belongs to "buttons[1]". */
export function problemsFor(problems: FieldProblem[], ...fields: string[]): FieldProblem[] {
  return problems.filter((problem) =>
    fields.some(
      (field) =>
        problem.field === field || problem.field.startsWith(`${field}.`) || problem.field.startsWith(`${field}[`),
    ),
  );
}

/** Problems no field of the form claims (shown at the top). */
export function unclaimedProblems(problems: FieldProblem[], claimed: string[]): FieldProblem[] {
  const mine = new Set(problemsFor(problems, ...claimed));
  return problems.filter((problem) => !mine.has(problem));
}

export function isEmptyDraft(draft: TemplateIn): boolean {
  return !draft.name.trim() && !draft.body.trim() && !draft.header_text && !draft.footer && draft.buttons.length === 0;
}
