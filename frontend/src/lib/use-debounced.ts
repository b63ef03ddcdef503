import { useEffect, useRef, useState } from 'react';

/**
 * `value`, once it has stopped changing for `delayMs`. Values are compared by
 * their JSON, so an object rebuilt on every render does not restart the timer.
 */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  const latest = useRef(value);
  latest.current = value;
  const key = JSON.stringify(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(latest.current), delayMs);
    return () => window.clearTimeout(timer);
  }, [key, delayMs]);
  return debounced;
}
