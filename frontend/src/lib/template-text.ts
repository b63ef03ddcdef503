// WhatsApp template text: numbered variables {{1}}, {{2}}… and the light
// formatting WhatsApp renders (*bold*, _italic_, ~strike~, ```mono```).

const VARIABLE = /\{\{\s*(\d+)\s*\}\}/g;

/** The variable numbers in order of appearance, each once. */
export function variableIndexes(text: string | null | undefined): number[] {
  const seen: number[] = [];
  for (const match of (text ?? '').matchAll(VARIABLE)) {
    const index = Number(match[1]);
    if (!seen.includes(index)) seen.push(index);
  }
  return seen;
}

/** The number the next inserted variable gets: one more than the highest so far. */
export function nextVariableIndex(text: string | null | undefined): number {
  return Math.max(0, ...variableIndexes(text)) + 1;
}

/** Replaces {{n}} with values[n]; a variable without a value stays visible as {{n}}. */
export function fillVariables(text: string, values: Record<number, string | null | undefined>): string {
  return text.replace(VARIABLE, (whole, index: string) => {
    const value = values[Number(index)];
    return value ? value : whole;
  });
}

export type Span = { text: string; style: 'plain' | 'bold' | 'italic' | 'strike' | 'mono' };

const FORMATTING = /(```[\s\S]+?```|\*[^*\n]+\*|_[^_\n]+_|~[^~\n]+~)/g;

/** Splits text into styled runs the way WhatsApp shows it (no nesting). */
export function formatSpans(text: string): Span[] {
  const spans: Span[] = [];
  let last = 0;
  for (const match of text.matchAll(FORMATTING)) {
    const at = match.index ?? 0;
    if (at > last) spans.push({ text: text.slice(last, at), style: 'plain' });
    const token = match[0];
    if (token.startsWith('```')) spans.push({ text: token.slice(3, -3), style: 'mono' });
    else {
      const style = token[0] === '*' ? 'bold' : token[0] === '_' ? 'italic' : 'strike';
      spans.push({ text: token.slice(1, -1), style });
    }
    last = at + token.length;
  }
  if (last < text.length) spans.push({ text: text.slice(last), style: 'plain' });
  return spans;
}
