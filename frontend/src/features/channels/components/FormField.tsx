import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import { isApiError } from '@/lib/api-client';

interface Props {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The failed save, whose 422 errors[] for this field show under it. */
  error?: unknown;
  field?: string;
  type?: 'text' | 'password' | 'email' | 'number';
  optional?: boolean;
  hint?: string;
  placeholder?: string;
  inputMode?: 'numeric' | 'tel' | 'email';
}

/** One labelled input of a channel form, with its hint and its problems from the server. */
export function FormField({ id, label, value, onChange, error, field, type = 'text', optional, hint, placeholder, inputMode }: Props) {
  const { t } = useTranslation();
  const problems = isApiError(error) && field ? error.errors.filter((problem) => problem.field === field) : [];
  const secret = type === 'password';
  const describedBy = [hint ? `${id}-hint` : null, problems.length ? `${id}-problems` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {optional && <span className="muted"> {t('app.optional')}</span>}
      </label>
      <input
        id={id}
        className="input"
        type={type}
        inputMode={inputMode}
        autoComplete={secret ? 'new-password' : 'off'}
        spellCheck={false}
        required={!optional}
        value={value}
        placeholder={placeholder}
        aria-invalid={problems.length > 0 || undefined}
        aria-describedby={describedBy || undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      {problems.length > 0 && (
        <ul id={`${id}-problems`} className="field-problems" role="alert">
          {problems.map((problem, index) => (
            <li key={index}>{problem.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A 422 whose every problem is shown under its own field needs no banner on top. */
export function fieldErrorsOnly(error: unknown, fields: string[]): boolean {
  return isApiError(error) && error.errors.length > 0 && error.errors.every((problem) => fields.includes(problem.field));
}

/** A failed save: the provider's refusal in the channel's words, else the usual message. */
export function ChannelError({ error, provider }: { error: unknown; provider: 'sms' | 'email' }) {
  const { t } = useTranslation();
  if (isApiError(error) && error.code === 'provider_rejected') {
    const detail = error.detail ?? error.title ?? '';
    return (
      <p role="alert" className="alert alert--error">
        {provider === 'sms' ? t('errors.providerRejectedSms', { detail }) : t('errors.providerRejectedEmail', { detail })}
      </p>
    );
  }
  return <ErrorMessage error={error} />;
}

export function detail(channel: { details: Record<string, unknown> } | undefined, key: string): string {
  const value = channel?.details[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
