import type { FieldProblem } from '@/lib/api-types';

/** The problems of one field, right under it; the field points here with aria-describedby. */
export function FieldProblems({ id, problems, testId }: { id: string; problems: FieldProblem[]; testId?: string }) {
  if (problems.length === 0) return null;
  return (
    <ul id={id} className="field-problems" data-testid={testId ?? 'field-problems'}>
      {problems.map((problem, index) => (
        <li key={`${problem.code}-${index}`} data-code={problem.code}>
          {problem.message}
        </li>
      ))}
    </ul>
  );
}

export function describedBy(id: string, problems: FieldProblem[], hintId?: string): string | undefined {
  const ids = [hintId, problems.length > 0 ? id : undefined].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}
