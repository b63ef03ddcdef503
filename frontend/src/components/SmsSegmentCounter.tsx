import { useTranslation } from 'react-i18next';
import { SMS_MAX_LENGTH, useSmsSegments } from '@/lib/sms';

interface Props {
  text: string;
  id?: string;
  className?: string;
}

/** "42 characters · GSM-7 · 1 SMS" under an SMS text, as the server counts it. */
export function SmsSegmentCounter({ text, id, className }: Props) {
  const { t } = useTranslation();
  const segments = useSmsSegments(text);
  let content: string | null = null;
  if (segments.tooLong) {
    content = t('sms.tooLong', { count: text.length, max: SMS_MAX_LENGTH });
  } else if (text.length > 0 && segments.data) {
    const { characters, encoding, segments: parts } = segments.data;
    content = [
      t('sms.characters', { count: characters }),
      encoding,
      t('sms.segments', { count: parts }),
    ].join(' · ');
  }
  const warn = segments.tooLong || (segments.data && text.length > 0 && segments.data.encoding !== 'GSM-7');
  return (
    <p
      id={id}
      className={`sms-counter${warn ? ' sms-counter--warn' : ''}${className ? ` ${className}` : ''}`}
      aria-live="polite"
      data-testid="sms-segments"
      title={segments.data && segments.data.encoding !== 'GSM-7' ? t('sms.ucs2Hint') : undefined}
    >
      {content}
    </p>
  );
}
