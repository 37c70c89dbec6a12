"use client";
// A modal dialog on the native <dialog> element (focus kept inside, Escape closes, the page behind is inert). Mounted
// = open: the parent renders it while open and removes it to close.
import { useEffect, useRef, type ReactNode } from "react";

export function Modal({
  labelledBy,
  describedBy,
  role,
  onClose,
  wide,
  children,
}: {
  labelledBy: string;
  describedBy?: string;
  /** "alertdialog" for confirmations. */
  role?: "alertdialog";
  onClose: () => void;
  wide?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      role={role}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onCancel={(e) => {
        e.preventDefault(); // Escape: the parent decides (and unmounts us)
        onCloseRef.current();
      }}
      onClick={(e) => {
        if (e.target === ref.current) onCloseRef.current(); // a click on the backdrop
      }}
      className={`m-auto w-[calc(100%-2rem)] rounded-xl bg-transparent p-0 text-zinc-900 backdrop:bg-black/70 dark:text-zinc-100 ${wide ? "max-w-4xl" : "max-w-md"}`}
    >
      <div className="card space-y-3">{children}</div>
    </dialog>
  );
}

/** A confirmation: title, text, and a destructive button with Cancel. */
export function ConfirmDialog({
  id,
  title,
  children,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onCancel,
  cancelLabel,
}: {
  id: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  busy?: boolean;
  error?: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Modal labelledBy={`${id}-title`} describedBy={`${id}-text`} role="alertdialog" onClose={onCancel}>
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        {title}
      </h2>
      <div id={`${id}-text`} className="space-y-1 text-sm text-zinc-700 dark:text-zinc-300">
        {children}
      </div>
      {error}
      <div className="flex justify-end gap-2">
        <button type="button" className="btn-secondary" onClick={onCancel} autoFocus>
          {cancelLabel}
        </button>
        <button type="button" className="btn-danger" onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
