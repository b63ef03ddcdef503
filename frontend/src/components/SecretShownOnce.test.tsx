import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { SecretShownOnce } from './SecretShownOnce';

const SECRET = 'gmc_live_test_0123456789';

function renderSecret(onDismiss = vi.fn(), value = SECRET) {
  mockFetch({});
  const view = renderWithProviders(box(onDismiss, value));
  return { ...view, onDismiss, rerenderWith: (next: string) => view.rerender(box(onDismiss, next)) };
}

function box(onDismiss: () => void, value: string) {
  return (
    <SecretShownOnce
      title="Key created"
      value={value}
      warning="It will not be shown again."
      copyLabel="Copy"
      copiedLabel="Copied"
      dismissLabel="I have copied it"
      onDismiss={onDismiss}
      testId="secret"
      valueTestId="secret-value"
    />
  );
}

/** userEvent.setup() installs its own clipboard stub, so the failure cases replace it afterwards. */
function setClipboard(clipboard: Partial<Clipboard> | undefined) {
  Object.defineProperty(navigator, 'clipboard', { value: clipboard, configurable: true, writable: true });
}

describe('SecretShownOnce', () => {
  it('copies the value and then says so', async () => {
    const user = userEvent.setup();
    const writeText = vi.fn().mockResolvedValue(undefined);
    setClipboard({ writeText });
    renderSecret();

    expect(screen.getByTestId('secret-value').textContent).toBe(SECRET);
    await user.click(screen.getByRole('button', { name: 'Copy' }));

    expect(writeText).toHaveBeenCalledWith(SECRET);
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeTruthy();
    expect(screen.queryByTestId('secret-copy-failed')).toBeNull();
  });

  it('does not carry "Copied" over to a new value', async () => {
    const user = userEvent.setup();
    setClipboard({ writeText: vi.fn().mockResolvedValue(undefined) });
    const { rerenderWith } = renderSecret();
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    await screen.findByRole('button', { name: 'Copied' });

    rerenderWith('gmc_live_second_key');
    expect(screen.getByRole('button', { name: 'Copy' })).toBeTruthy();
  });

  it('keeps the value on screen, selected, when the clipboard rejects', async () => {
    const user = userEvent.setup();
    const writeText = vi.fn().mockRejectedValue(new DOMException('Denied', 'NotAllowedError'));
    setClipboard({ writeText });
    renderSecret();

    await user.click(screen.getByRole('button', { name: 'Copy' }));

    expect(writeText).toHaveBeenCalled();
    expect((await screen.findByTestId('secret-copy-failed')).textContent).toContain('Copying did not work');
    expect(screen.getByRole('button', { name: 'Copy' })).toBeTruthy();
    expect(screen.getByTestId('secret-value').textContent).toBe(SECRET);
    expect(window.getSelection()?.toString()).toBe(SECRET);
  });

  it('keeps the value on screen when there is no clipboard at all, in French too', async () => {
    const user = userEvent.setup();
    setClipboard(undefined);
    mockFetch({});
    renderWithProviders(box(vi.fn(), SECRET), { language: 'fr' });

    await user.click(screen.getByRole('button', { name: 'Copy' }));

    expect((await screen.findByTestId('secret-copy-failed')).textContent).toContain('La copie n’a pas fonctionné');
    expect(screen.getByTestId('secret-value').textContent).toBe(SECRET);
  });

  it('calls onDismiss from the dismiss button', async () => {
    const user = userEvent.setup();
    const { onDismiss } = renderSecret();
    await user.click(screen.getByRole('button', { name: 'I have copied it' }));
    expect(onDismiss).toHaveBeenCalledTimes(1);
  });
});
