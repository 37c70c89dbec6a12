"use client";
// The household's tokens table (admins): refreshes the page after a revocation.
import { useRouter } from "next/navigation";
import type { ApiTokenJson as TokenRow } from "@/lib/auth/api-tokens";
import { TokenTable } from "../../account/tokens/token-table";

export function HouseholdTokens({ tokens, cameras }: { tokens: TokenRow[]; cameras: { id: string; name: string }[] }) {
  const router = useRouter();
  return <TokenTable tokens={tokens} cameras={cameras} revokePath="/api/household/tokens" onChanged={() => router.refresh()} />;
}
