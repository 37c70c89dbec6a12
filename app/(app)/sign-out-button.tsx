"use client";
import { signOut } from "next-auth/react";

export function SignOutButton({ label }: { label: string }) {
  return (
    <button type="button" className="btn-secondary px-3 py-1.5" onClick={() => void signOut({ callbackUrl: "/login" })}>
      {label}
    </button>
  );
}
