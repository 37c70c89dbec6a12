"use client";
// A box that may scroll (a wide table on a phone, a long code sample): while its content overflows it is in the tab
// order, so a keyboard can focus and scroll it (WCAG 2.1.1; axe's scrollable-region-focusable). When nothing
// overflows it is not a tab stop. The caller gives the overflow classes (overflow-x-auto, overflow-auto…).
import { useEffect, useRef, useState, type HTMLAttributes } from "react";

export function ScrollArea({ as = "div", children, ...rest }: HTMLAttributes<HTMLElement> & { as?: "div" | "pre" | "section" }) {
  const ref = useRef<HTMLElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    // 1 px of slack: sub-pixel layout can leave scrollWidth one past clientWidth without anything to scroll to.
    const measure = () => setScrolls(box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    for (const child of Array.from(box.children)) observer.observe(child);
    return () => observer.disconnect();
  }, []);
  const Tag = as;
  return (
    // relative: a visually hidden (sr-only, absolutely positioned) label inside stays inside the box that scrolls
    // instead of widening the page.
    <Tag {...rest} className={`relative ${rest.className ?? ""}`} ref={ref as never} tabIndex={scrolls ? 0 : undefined}>
      {children}
    </Tag>
  );
}
