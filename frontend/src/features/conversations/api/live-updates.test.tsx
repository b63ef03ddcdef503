import { act } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/render';
import { conversationKeys } from './keys';
import { useLiveUpdates } from './live-updates';

class FakeEventSource {
  static CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = 1;
  closed = false;
  private listeners = new Map<string, ((event: MessageEvent) => void)[]>();
  constructor(
    readonly url: string,
    readonly init?: EventSourceInit,
  ) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, listener: (event: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: unknown) {
    const event = new MessageEvent(type, { data: JSON.stringify(data) });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

function Live({ propertyId }: { propertyId: string }) {
  useLiveUpdates(propertyId);
  return null;
}

describe('useLiveUpdates', () => {
  beforeEach(() => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });

  it('opens /api/v1/events with credentials and invalidates the lists and the named conversation', () => {
    const { queryClient, unmount } = renderWithProviders(<Live propertyId="p1" />);
    const keys = {
      list: conversationKeys.list({ status: 'open' }),
      detail: conversationKeys.detail('c1'),
      messages: conversationKeys.messages('c1'),
      otherDetail: conversationKeys.detail('c2'),
    };
    for (const key of Object.values(keys)) queryClient.setQueryData(key, { seeded: true });

    const source = FakeEventSource.instances[0]!;
    expect(source.url).toBe('/api/v1/events');
    expect(source.init).toEqual({ withCredentials: true });

    act(() => source.emit('message.created', { type: 'message.created', conversation_id: 'c1', message_id: 'm1' }));

    const invalidated = (key: readonly unknown[]) => queryClient.getQueryState(key)?.isInvalidated;
    expect(invalidated(keys.list)).toBe(true);
    expect(invalidated(keys.detail)).toBe(true);
    expect(invalidated(keys.messages)).toBe(true);
    expect(invalidated(keys.otherDetail)).toBe(false);

    unmount();
    expect(source.closed).toBe(true);
  });
});
