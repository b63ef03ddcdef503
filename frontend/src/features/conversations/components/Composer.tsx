import { type FormEvent, type KeyboardEvent, Suspense, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import { SmsSegmentCounter } from '@/components/SmsSegmentCounter';
import { Spinner } from '@/components/LoadingScreen';
import type { Channel, ConversationRow } from '@/lib/api-types';
import { replyStateReason } from '@/lib/errors';
import { useSlots } from '@/lib/slots';
import { useNow } from '@/lib/use-now';
import { useMessageSent, useSendMessage } from '../api/send-message';
import { conversationChannels, channelLabel } from '../utils/labels';
import { describeReplyWindow, formatReplyWindow } from '../utils/reply-window';

interface Props {
  conversation: ConversationRow;
}

/** Channels a reply can go out on right now (server says open, and not expired since). */
export function openChannels(conversation: ConversationRow, now: Date): Channel[] {
  return conversationChannels(conversation).filter(
    (channel) => describeReplyWindow(conversation.reply_state[channel], now).state === 'open',
  );
}

const SLASH = /(^|\s)\/([a-z0-9_-]*)$/i;
const PICKER_KEYS = new Set(['ArrowUp', 'ArrowDown', 'Enter', 'Escape']);

/** What follows a "/" typed at the end of the text ("/wif" → "wif"), or null: the saved replies' shortcut. */
export function slashQuery(body: string): string | null {
  const match = SLASH.exec(body);
  return match ? (match[2] ?? '') : null;
}

/** Reply where the guest last wrote if we can, else on the first open channel. */
function preferredChannel(conversation: ConversationRow, open: Channel[]): Channel | null {
  const last = conversation.last_message?.channel;
  if (last && open.includes(last)) return last;
  return open[0] ?? null;
}

export function Composer({ conversation }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const now = useNow(30_000);
  const send = useSendMessage(conversation.id);
  const [body, setBody] = useState('');
  const [isNote, setIsNote] = useState(false);
  const [chosen, setChosen] = useState<Channel | null>(null);
  const [templateOpen, setTemplateOpen] = useState(false);
  const { TemplateComposer, SavedReplyPicker } = useSlots();
  // "/" opens the saved replies; Escape closes them for the text as it is
  const [pickerClosedFor, setPickerClosedFor] = useState<string | null>(null);
  const pickerKeys = useRef<((key: string) => boolean) | null>(null);
  const slash = isNote ? null : slashQuery(body);
  const pickerOpen = Boolean(SavedReplyPicker) && slash !== null && pickerClosedFor !== body;
  const messageSent = useMessageSent(conversation.id);

  const channels = conversationChannels(conversation);
  const open = openChannels(conversation, now);
  // A channel picked earlier may have closed since (window expired): fall back.
  const channel = chosen && open.includes(chosen) ? chosen : preferredChannel(conversation, open);
  const hasWhatsApp = channels.includes('whatsapp');
  const whatsappClosed =
    hasWhatsApp && describeReplyWindow(conversation.reply_state.whatsapp, now).state === 'closed';
  // Templates only help when the window closed in time, not when WhatsApp is
  // not connected or the guest has no phone.
  const windowClosed = whatsappClosed && conversation.reply_state.whatsapp?.code === 'whatsapp_window_closed';
  const canUseTemplates = Boolean(TemplateComposer) && hasWhatsApp;
  const canSend = body.trim().length > 0 && !send.isPending && (isNote || channel !== null);

  const submit = () => {
    if (!canSend) return;
    const sent = body;
    send.mutate(
      isNote
        ? { kind: 'note', body: sent }
        : { kind: 'message', request: { channel: channel!, body: sent } },
      {
        // Only clear on success, and not if the user kept typing meanwhile.
        onSuccess: () => setBody((current) => (current === sent ? '' : current)),
      },
    );
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    const plain = !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.altKey;
    if (pickerOpen && plain && PICKER_KEYS.has(event.key) && pickerKeys.current?.(event.key)) {
      event.preventDefault();
      return;
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  };

  const optionLabel = (option: Channel) => {
    const window = conversation.reply_state[option];
    const name = channelLabel(t, option);
    if (describeReplyWindow(window, now).state === 'open') {
      return option === 'whatsapp' ? `${name} · ${formatReplyWindow(t, window, now)}` : name;
    }
    const reason = replyStateReason(t, window);
    return reason
      ? t('composer.channelUnavailable', { channel: name, reason })
      : t('composer.channelClosed', { channel: name });
  };

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;

  if (templateOpen && TemplateComposer) {
    return (
      <section className="composer composer--template" aria-label={t('composer.templateRegion')}>
        <Suspense fallback={<Spinner />}>
          <TemplateComposer
            conversationId={conversation.id}
            onSent={(message) => {
              messageSent(message);
              setTemplateOpen(false);
            }}
            onClose={() => setTemplateOpen(false)}
          />
        </Suspense>
      </section>
    );
  }

  return (
    <form
      className={`composer${isNote ? ' composer--note' : ''}`}
      aria-label={t('composer.region')}
      onSubmit={onSubmit}
    >
      {windowClosed && canUseTemplates && !isNote && (
        <div className="composer__banner" role="note">
          <span>{t('composer.windowClosedBanner')}</span>
          <button type="button" className="button button--small button--primary" onClick={() => setTemplateOpen(true)}>
            {t('composer.chooseTemplate')}
          </button>
        </div>
      )}
      {send.isError && (
        <div id={errorId}>
          <ErrorMessage error={send.error} />
        </div>
      )}
      <div className="composer__toolbar">
        <label htmlFor={`${id}-channel`} className="visually-hidden">
          {t('composer.channel')}
        </label>
        <select
          id={`${id}-channel`}
          className="select select--compact"
          value={channel ?? ''}
          disabled={isNote || open.length === 0}
          onChange={(event) => setChosen(event.target.value as Channel)}
          data-testid="composer-channel"
        >
          {channel === null && <option value="">{t('composer.channel')}</option>}
          {channels.map((option) => (
            <option key={option} value={option} disabled={!open.includes(option)}>
              {optionLabel(option)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="toggle toggle--note"
          aria-pressed={isNote}
          onClick={() => setIsNote((value) => !value)}
        >
          {t('composer.note')}
        </button>
        {canUseTemplates && (
          <button type="button" className="button button--small" onClick={() => setTemplateOpen(true)}>
            {t('composer.template')}
          </button>
        )}
        <span id={hintId} className="composer__hint muted">
          {isNote ? t('composer.noteHint') : open.length === 0 ? t('composer.noOpenChannel') : t('composer.shortcut')}
        </span>
      </div>
      {pickerOpen && SavedReplyPicker && (
        <SavedReplyPicker
          conversationId={conversation.id}
          query={slash ?? ''}
          onInsert={(text) => setBody((current) => current.replace(SLASH, (_match, before: string) => before + text))}
          onDismiss={() => setPickerClosedFor(body)}
          registerKeys={(handler) => {
            pickerKeys.current = handler;
          }}
        />
      )}
      <div className="composer__input">
        <label htmlFor={`${id}-body`} className="visually-hidden">
          {t('composer.label')}
        </label>
        <textarea
          id={`${id}-body`}
          className="textarea"
          rows={3}
          value={body}
          placeholder={isNote ? t('composer.notePlaceholder') : t('composer.placeholder')}
          onChange={(event) => setBody(event.target.value)}
          onKeyDown={onKeyDown}
          aria-describedby={send.isError ? `${errorId} ${hintId}` : hintId}
          data-testid="composer-input"
        />
        <button
          type="submit"
          className="button button--primary"
          disabled={!canSend}
          aria-busy={send.isPending}
        >
          {t('composer.send')}
        </button>
      </div>
      {channel === 'sms' && !isNote && <SmsSegmentCounter id={`${id}-segments`} text={body} className="composer__segments" />}
    </form>
  );
}
