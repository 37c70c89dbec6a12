"use client";
// Whether someone can see a live video: the tab is visible and the element is on screen. Live video plays only then.
import { useEffect, useState, useSyncExternalStore, type RefObject } from "react";

function subscribeVisibility(onChange: () => void) {
  document.addEventListener("visibilitychange", onChange);
  return () => document.removeEventListener("visibilitychange", onChange);
}

/**
 * True while the tab is visible. Assumed visible while the page is server-rendered and hydrated (a page is almost
 * always opened in the visible tab): the player then starts in hydration's own effects instead of after a second
 * render; a page opened in a background tab re-renders at once and does not play.
 */
export function useDocumentVisible(): boolean {
  return useSyncExternalStore(
    subscribeVisibility,
    () => document.visibilityState === "visible",
    () => true,
  );
}

/** True while any part of the element is inside the viewport. */
export function useInView(ref: RefObject<Element | null>): boolean {
  const [isInView, setInView] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new IntersectionObserver((entries) => setInView(entries.some((e) => e.isIntersecting)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return isInView;
}
