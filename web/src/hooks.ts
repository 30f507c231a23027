// Small React hooks: element width, and data loading with cancellation on change.
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';

/**
 * The content width of an element, updated on resize. A callback ref, so that an element that mounts
 * later (after a loading message) is measured too.
 */
export function useWidth<T extends HTMLElement>(fallback = 800): [(el: T | null) => void, number] {
  const [width, setWidth] = useState(fallback);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: T | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el) return;
    const update = () => setWidth(Math.max(200, Math.floor(el.getBoundingClientRect().width)));
    update();
    observer.current = new ResizeObserver(update);
    observer.current.observe(el);
  }, []);
  return [ref, width];
}

export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: string } | { state: 'ready'; value: T };

/** Runs `load` whenever deps change; stale answers are dropped. */
export function useLoad<T>(load: () => Promise<T> | undefined, deps: DependencyList): Loaded<T> {
  const [v, setV] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    const p = load();
    if (!p) return;
    setV({ state: 'loading' });
    p.then(
      (value) => live && setV({ state: 'ready', value }),
      (e: Error) => live && setV({ state: 'error', error: e.message }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return v;
}
