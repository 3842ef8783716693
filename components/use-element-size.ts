"use client";

import { useCallback, useRef, useState } from "react";

import type { Size } from "@/lib/images/crop-geometry";

/** The border-box size in CSS pixels, fractions kept (react-easy-crop measures its frame this way). */
const sizeOf = (node: HTMLElement): Size => {
  const { width, height } = node.getBoundingClientRect();
  return { width, height };
};

/**
 * An element's size, kept current by a ResizeObserver; undefined until it has been laid
 * out. The third item reads it now (at a click), whatever the observer has reported so far.
 */
export function useElementSize<T extends HTMLElement>() {
  const [size, setSize] = useState<Size>();
  const element = useRef<T | null>(null);
  const observer = useRef<ResizeObserver | null>(null);

  const ref = useCallback((node: T | null) => {
    observer.current?.disconnect();
    observer.current = null;
    element.current = node;
    if (!node) return;
    const update = () => {
      const next = sizeOf(node);
      setSize((current) => (current && current.width === next.width && current.height === next.height ? current : next));
    };
    update();
    observer.current = new ResizeObserver(update);
    observer.current.observe(node);
  }, []);

  const measure = useCallback((): Size | undefined => {
    const node = element.current;
    return node ? sizeOf(node) : undefined;
  }, []);

  return [ref, size, measure] as const;
}
