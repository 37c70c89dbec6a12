"use client";
// Until React has hydrated a page, its inputs are plain HTML: a value typed or a slider moved then is thrown away when
// React takes over (controlled inputs are reset to their state), and a submit is a native GET that would put the form's
// fields (a password) into the address. So forms render disabled on the server and enable once hydrated; people and
// test suites (Playwright waits for "enabled") never act on a form that is not live yet.
import { useEffect, useRef, useSyncExternalStore, type FieldsetHTMLAttributes, type FormHTMLAttributes } from "react";

const subscribe = () => () => {};

/** False during server rendering and hydration, true from the first client render after it. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/** A fieldset (no border, padding or minimum width: it lays out like a div) that is disabled until the page has hydrated. */
export function LiveFieldset({ children, disabled, className, ...rest }: FieldsetHTMLAttributes<HTMLFieldSetElement>) {
  const hydrated = useHydrated();
  const ref = useRef<HTMLFieldSetElement>(null);
  // The browser skips autofocus on a disabled control and React does not focus hydrated elements: focus the
  // control marked autoFocus once it is enabled, unless the person already moved the focus.
  useEffect(() => {
    if (!hydrated || disabled || document.activeElement !== document.body) return;
    ref.current?.querySelector<HTMLElement>("[autofocus]")?.focus();
  }, [hydrated, disabled]);
  return (
    <fieldset {...rest} ref={ref} disabled={!hydrated || disabled} className={`min-w-0 ${className ?? ""}`}>
      {children}
    </fieldset>
  );
}

type FormProps = Omit<FormHTMLAttributes<HTMLFormElement>, "onSubmit"> & { onSubmit: (form: FormData, el: HTMLFormElement) => unknown };

/**
 * A form whose submit is handled in the browser (never a native submission) and whose controls wait for hydration.
 * Its className lays out the controls (it is applied to the fieldset that holds them).
 */
export function Form({ onSubmit, children, className, ...rest }: FormProps) {
  return (
    <form
      {...rest}
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit(new FormData(e.currentTarget), e.currentTarget);
      }}
    >
      <LiveFieldset className={className}>{children}</LiveFieldset>
    </form>
  );
}
