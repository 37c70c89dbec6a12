// What the tokens pages hand their client components: a token row with dates as ISO strings (server → client).

export type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  cameraIds: string[] | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedAddress: string | null;
  status: "active" | "expired" | "revoked";
  member?: { id: string; email: string; displayName: string | null };
};

type Dated = Omit<TokenRow, "createdAt" | "expiresAt" | "lastUsedAt"> & { createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null };

/** Server → client: dates as ISO strings. */
export function serializeTokens(tokens: Dated[]): TokenRow[] {
  return tokens.map((x) => ({
    id: x.id,
    name: x.name,
    prefix: x.prefix,
    scopes: x.scopes,
    cameraIds: x.cameraIds,
    createdAt: x.createdAt.toISOString(),
    expiresAt: x.expiresAt?.toISOString() ?? null,
    lastUsedAt: x.lastUsedAt?.toISOString() ?? null,
    lastUsedAddress: x.lastUsedAddress,
    status: x.status,
    ...(x.member ? { member: x.member } : {}),
  }));
}
