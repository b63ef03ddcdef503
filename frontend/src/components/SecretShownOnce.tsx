import { type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface SecretShownOnceProps {
  /** Heading line, e.g. which key or invitation this is. */
  title: ReactNode;
  /** The secret itself. The server never returns it again, so this box is the user's only chance. */
  value: string;
  /** Why it must be copied now (it will not be shown again, it was or was not e-mailed…). */
  warning: ReactNode;
  copyLabel: string;
  copiedLabel: string;
  dismissLabel: string;
  onDismiss: () => void;
  /** Test ids stay per screen so each screen's tests can tell its box apart. */
  testId: string;
  valueTestId: string;
}

type CopyOutcome = 'copied' | 'failed';

/**
 * A secret the server shows exactly once (an API key, an invitation link, a
 * webhook signing secret), with a copy button and a dismiss action.
 */
export function SecretShownOnce({
  title,
  value,
  warning,
  copyLabel,
  copiedLabel,
  dismissLabel,
  onDismiss,
  testId,
  valueTestId,
}: SecretShownOnceProps) {
  const { t } = useTranslation();
  const valueRef = useRef<HTMLElement>(null);
  // The outcome is remembered with the value it was for: the screens keep this
  // box mounted when a second secret is created, and "Copied" must not carry
  // over to a value the user never copied.
  const [copy, setCopy] = useState<{ value: string; outcome: CopyOutcome } | null>(null);
  const outcome = copy?.value === value ? copy.outcome : null;

  const selectValue = () => {
    const node = valueRef.current;
    const selection = typeof window.getSelection === 'function' ? window.getSelection() : null;
    if (node && selection) selection.selectAllChildren(node);
  };

  const copyToClipboard = async () => {
    try {
      // Missing outside secure contexts (plain http, some embedded browsers),
      // and writeText rejects when permission is denied.
      if (!navigator.clipboard) throw new Error('Clipboard API unavailable');
      await navigator.clipboard.writeText(value);
      setCopy({ value, outcome: 'copied' });
    } catch {
      // Never lose the secret over a clipboard problem: keep it on screen and
      // select it, so a keyboard shortcut or the context menu copies it.
      setCopy({ value, outcome: 'failed' });
      selectValue();
    }
  };

  return (
    <div className="alert alert--success new-key" role="status" data-testid={testId}>
      <p>
        <strong>{title}</strong>
      </p>
      <p>{warning}</p>
      <code ref={valueRef} className="new-key__value" data-testid={valueTestId}>
        {value}
      </code>
      {outcome === 'failed' && <p data-testid={`${testId}-copy-failed`}>{t('secretShownOnce.copyFailed')}</p>}
      <div className="actions actions--start">
        <button type="button" className="button button--small" onClick={() => void copyToClipboard()}>
          {outcome === 'copied' ? copiedLabel : copyLabel}
        </button>
        <button type="button" className="button button--small button--primary" onClick={onDismiss}>
          {dismissLabel}
        </button>
      </div>
    </div>
  );
}
