import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { formatSpans } from '@/lib/template-text';

export interface BubbleButton {
  kind: 'quick_reply' | 'url' | 'phone_number';
  text: string;
}

interface Props {
  header?: string | null;
  body: string;
  footer?: string | null;
  buttons?: BubbleButton[];
  /** Shown bottom-right, like WhatsApp's send time. */
  time?: string;
}

function Formatted({ text }: { text: string }) {
  return (
    <>
      {formatSpans(text).map((span, index) => {
        switch (span.style) {
          case 'bold':
            return <strong key={index}>{span.text}</strong>;
          case 'italic':
            return <em key={index}>{span.text}</em>;
          case 'strike':
            return <s key={index}>{span.text}</s>;
          case 'mono':
            return <code key={index}>{span.text}</code>;
          default:
            return <Fragment key={index}>{span.text}</Fragment>;
        }
      })}
    </>
  );
}

const BUTTON_ICON = { quick_reply: '↩', url: '↗', phone_number: '✆' } as const;

/** A message as the guest sees it in WhatsApp: header, body, footer and buttons. */
export function WhatsAppBubble({ header, body, footer, buttons = [], time }: Props) {
  const { t } = useTranslation();
  return (
    <figure className="wa-preview" aria-label={t('preview.label')} data-testid="whatsapp-bubble">
      <div className="wa-bubble">
        {header && (
          <p className="wa-bubble__header" data-testid="bubble-header">
            <Formatted text={header} />
          </p>
        )}
        <p className="wa-bubble__body" data-testid="bubble-body">
          {body ? <Formatted text={body} /> : <span className="muted">{t('preview.empty')}</span>}
        </p>
        {footer && (
          <p className="wa-bubble__footer" data-testid="bubble-footer">
            {footer}
          </p>
        )}
        {time && <span className="wa-bubble__time">{time}</span>}
      </div>
      {buttons.length > 0 && (
        <ul className="wa-bubble__buttons">
          {buttons.map((button, index) => (
            <li key={index} className="wa-bubble__button" data-testid="bubble-button">
              <span aria-hidden="true">{BUTTON_ICON[button.kind]} </span>
              {button.text || '…'}
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
