import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fillVariables, formatSpans, nextVariableIndex, variableIndexes } from '@/lib/template-text';
import { mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { WhatsAppBubble } from './WhatsAppBubble';

describe('WhatsAppBubble', () => {
  it('renders header, WhatsApp formatting, footer and buttons as the guest sees them', () => {
    mockFetch({});
    renderWithProviders(
      <WhatsAppBubble
        header="Your stay at *Hôtel du Lac*"
        body={'Hello *Camille*, check-in is _from 3 pm_.\n~Old~ code: ```4521```'}
        footer="Reply STOP to opt out"
        buttons={[
          { kind: 'quick_reply', text: 'Late arrival' },
          { kind: 'url', text: 'Manage booking' },
        ]}
        time="12:00"
      />,
    );

    const bubble = screen.getByRole('figure', { name: 'WhatsApp preview' });
    expect(within(screen.getByTestId('bubble-header')).getByText('Hôtel du Lac').tagName).toBe('STRONG');
    const body = screen.getByTestId('bubble-body');
    expect(body.textContent).toBe('Hello Camille, check-in is from 3 pm.\nOld code: 4521');
    expect(within(body).getByText('Camille').tagName).toBe('STRONG');
    expect(within(body).getByText('from 3 pm').tagName).toBe('EM');
    expect(within(body).getByText('Old').tagName).toBe('S');
    expect(within(body).getByText('4521').tagName).toBe('CODE');
    expect(screen.getByTestId('bubble-footer').textContent).toBe('Reply STOP to opt out');
    expect(screen.getAllByTestId('bubble-button').map((button) => button.textContent)).toEqual([
      '↩ Late arrival',
      '↗ Manage booking',
    ]);
    expect(within(bubble).getByText('12:00')).toBeTruthy();
  });

  it('leaves out the parts a template does not have, and never renders text as HTML', () => {
    mockFetch({});
    renderWithProviders(<WhatsAppBubble body="<b>not bold</b>" />);
    expect(screen.queryByTestId('bubble-header')).toBeNull();
    expect(screen.queryByTestId('bubble-footer')).toBeNull();
    expect(screen.queryAllByTestId('bubble-button')).toHaveLength(0);
    expect(screen.getByTestId('bubble-body').textContent).toBe('<b>not bold</b>');
    expect(screen.getByTestId('bubble-body').querySelector('b')).toBeNull();
  });
});

describe('template text', () => {
  it('finds variables in order of appearance and numbers the next one after the highest', () => {
    expect(variableIndexes('Hi {{2}}, {{1}} and {{ 2 }}')).toEqual([2, 1]);
    expect(nextVariableIndex('Hi {{1}} {{3}}')).toBe(4);
    expect(nextVariableIndex('')).toBe(1);
  });

  it('fills variables with values and keeps the missing ones visible', () => {
    expect(fillVariables('Hi {{1}}, room {{2}}', { 1: 'Camille' })).toBe('Hi Camille, room {{2}}');
  });

  it('splits formatting without nesting', () => {
    expect(formatSpans('a *b* _c_')).toEqual([
      { text: 'a ', style: 'plain' },
      { text: 'b', style: 'bold' },
      { text: ' ', style: 'plain' },
      { text: 'c', style: 'italic' },
    ]);
  });
});
