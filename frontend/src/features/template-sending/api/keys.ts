export type SendTarget = { kind: 'conversation'; id: string } | { kind: 'guest'; id: string };

export const sendingKeys = {
  approved: ['template-sending', 'approved'] as const,
  preview: (target: SendTarget, templateId: string, overrides: Record<string, string>) =>
    ['template-sending', 'preview', target.kind, target.id, templateId, overrides] as const,
  recipients: (q: string) => ['template-sending', 'recipients', q] as const,
};
